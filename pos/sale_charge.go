package pos

import "time"

// Starting a charge: the Draft sale's checks (reader, cart, charge type,
// fee, saved card), the frozen create request and the metadata that ties
// the PaymentIntent to the sale.

func (s Sale) onCharge(at time.Time) (Sale, []Effect) {
	s.Notice = ""
	if s.State != SaleDraft {
		s.Notice = "This sale is already being charged."
		return s, nil
	}
	if s.ReaderID == "" && !s.SavedCardCharge() { // a saved card needs no reader
		s.Notice = "Choose a reader first."
		return s, nil
	}
	if err := s.Cart.ValidateForCharge(); err != nil {
		s.Notice = err.Error()
		return s, nil
	}
	total := s.Cart.Total()
	if s.Charge.OnPlatform() && s.Customer != nil && s.Customer.Wallet == "" {
		s.Notice = NoticeSellerCustomerOnPlatform
		return s, nil
	}
	if s.Charge.OnPlatform() && s.ReaderID != "" && !s.ReaderOwner.IsPlatform() {
		s.Notice = "A " + string(s.Charge) + " charge is made on the platform and needs a platform reader; this reader belongs to the seller."
		return s, nil
	}
	if !s.Fee.IsZero() {
		fee, err := s.Fee.Fee(total, s.Currency)
		if err != nil {
			s.Notice = err.Error()
			return s, nil
		}
		s.ApplicationFee = fee
	}
	if s.ApplicationFee >= total {
		s.Notice = "The application fee " + Format(s.ApplicationFee, s.Currency) + " must be below the total " + Format(total, s.Currency) + "."
		return s, nil
	}
	s.Amount = total
	s.Request = CreateIntentRequest{
		Amount: total, Currency: s.Currency, CaptureMethod: s.CaptureMethod,
		Description: s.Description, ReceiptEmail: s.ReceiptEmail,
		Metadata:             s.intentMetadata(),
		ApplicationFeeAmount: s.ApplicationFee,
	}
	switch s.Charge.Or() {
	case ChargeDestination:
		s.Request.TransferDestination, s.Request.OnBehalfOf = s.Seller, s.Seller
	case ChargeSeparate:
		// The platform keeps its share by transferring less; a platform
		// charge takes no application_fee_amount without a destination.
		s.Request.ApplicationFeeAmount = 0
		s.Request.TransferGroup = TransferGroupOf(s.ID)
	}
	if s.SavedCardCharge() && s.Customer.Card.Expired(at) {
		s.Notice = "The saved card has expired; take the card on the reader."
		return s, nil
	}
	if s.Charge.OnPlatform() {
		s.Customer = s.Customer.onPlatform()
	}
	s.State, s.ChargedAt, s.LastError, s.Cancel = SaleCreating, at, nil, CancelPlan{}
	return s.startCharge(at) // a customer's sale may prepare first (sale_customer_prep.go)
}

// maxMetadataValue is Stripe's limit on a metadata value.
const maxMetadataValue = 500

// intentMetadata ties the PaymentIntent to this sale, console and operator:
// reconciliation finds a sale's intent by kasse_sale_id.
func (s Sale) intentMetadata() map[string]string {
	md := map[string]string{"kasse_sale_id": s.ID}
	if s.ConsoleID != "" {
		md["kasse_console_id"] = s.ConsoleID
	}
	if s.Operator != "" {
		md["kasse_operator"] = s.Operator
	}
	if s.Charge.OnPlatform() { // the seller, on a payment that lives on the platform
		md[MetaSeller] = string(s.Seller)
		md[MetaChargeType] = string(s.Charge)
	}
	return md
}
