package sandbox

import "net/http"

// buildRoutes is the API surface of the sandbox: exactly the subset Kasse
// uses. Handlers live next to the objects they serve.
func (s *Server) buildRoutes() []route {
	const get, post, del = http.MethodGet, http.MethodPost, http.MethodDelete
	listParams := []string{"limit", "starting_after", "ending_before", "created"}
	return []route{
		// Connect
		s.handle(get, "/v1/accounts", listParams, (*Server).listAccounts),
		s.handle(get, "/v1/accounts/{id}", []string{}, (*Server).getAccount),
		s.handle(get, "/v1/account", []string{}, (*Server).getOwnAccount),

		// Terminal locations
		s.handle(post, "/v1/terminal/locations", []string{"display_name", "address", "configuration_overrides", "metadata"}, (*Server).createLocation),
		s.handle(get, "/v1/terminal/locations", []string{"limit", "starting_after", "ending_before"}, (*Server).listLocations),
		s.handle(get, "/v1/terminal/locations/{id}", []string{}, (*Server).getLocation),
		s.handle(post, "/v1/terminal/locations/{id}", []string{"display_name", "address", "configuration_overrides", "metadata"}, (*Server).updateLocation),
		s.handle(del, "/v1/terminal/locations/{id}", []string{}, (*Server).deleteLocation),

		// Terminal readers
		s.handle(post, "/v1/terminal/readers", []string{"registration_code", "label", "location", "metadata"}, (*Server).registerReader),
		s.handle(get, "/v1/terminal/readers", []string{"limit", "starting_after", "ending_before", "location", "status", "device_type", "serial_number"}, (*Server).listReaders),
		s.handle(get, "/v1/terminal/readers/{id}", []string{}, (*Server).getReader),
		s.handle(post, "/v1/terminal/readers/{id}", []string{"label", "metadata"}, (*Server).updateReader),
		s.handle(del, "/v1/terminal/readers/{id}", []string{}, (*Server).deleteReader),
		s.handle(post, "/v1/terminal/readers/{id}/process_payment_intent", []string{"payment_intent", "process_config"}, (*Server).processPaymentIntent),
		s.handle(post, "/v1/terminal/readers/{id}/process_setup_intent", []string{"setup_intent", "customer_consent_collected", "process_config"}, (*Server).processSetupIntent),
		s.handle(post, "/v1/terminal/readers/{id}/cancel_action", []string{}, (*Server).cancelAction),
		s.handle(post, "/v1/terminal/readers/{id}/set_reader_display", []string{"type", "cart"}, (*Server).setReaderDisplay),
		s.handle(post, "/v1/test_helpers/terminal/readers/{id}/present_payment_method", []string{"type", "card_present", "interac_present", "amount_tip"}, (*Server).presentPaymentMethod),

		// SetupIntents (only what process_setup_intent needs)
		s.handle(post, "/v1/setup_intents", []string{"payment_method_types", "customer", "description", "metadata", "usage"}, (*Server).createSetupIntent),
		s.handle(get, "/v1/setup_intents/{id}", []string{}, (*Server).getSetupIntent),

		// PaymentIntents
		s.handle(post, "/v1/payment_intents", []string{"amount", "currency", "payment_method_types", "capture_method", "description",
			"metadata", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "application_fee_amount",
			"on_behalf_of", "transfer_data", "transfer_group", "customer", "setup_future_usage", "payment_method_options"}, (*Server).createIntent),
		s.handle(get, "/v1/payment_intents", []string{"limit", "starting_after", "ending_before", "created", "customer"}, (*Server).listIntents),
		s.handle(get, "/v1/payment_intents/{id}", []string{"client_secret"}, (*Server).getIntent),
		s.handle(post, "/v1/payment_intents/{id}", []string{"amount", "currency", "description", "metadata", "receipt_email",
			"statement_descriptor", "statement_descriptor_suffix", "application_fee_amount", "capture_method", "payment_method_types"}, (*Server).updateIntent),
		s.handle(post, "/v1/payment_intents/{id}/capture", []string{"amount_to_capture", "application_fee_amount", "final_capture",
			"metadata", "statement_descriptor", "statement_descriptor_suffix", "transfer_data"}, (*Server).captureIntent),
		s.handle(post, "/v1/payment_intents/{id}/cancel", []string{"cancellation_reason"}, (*Server).cancelIntent),

		// Charges and refunds
		s.handle(get, "/v1/charges", []string{"limit", "starting_after", "ending_before", "created", "payment_intent", "customer"}, (*Server).listCharges),
		s.handle(get, "/v1/charges/{id}", []string{}, (*Server).getCharge),
		s.handle(post, "/v1/refunds", []string{"payment_intent", "charge", "amount", "reason", "metadata", "refund_application_fee", "reverse_transfer"}, (*Server).createRefund),
		s.handle(get, "/v1/refunds", []string{"limit", "starting_after", "ending_before", "created", "payment_intent", "charge"}, (*Server).listRefunds),
		s.handle(get, "/v1/refunds/{id}", []string{}, (*Server).getRefund),

		// Events
		s.handle(get, "/v1/events", []string{"limit", "starting_after", "ending_before", "created", "type", "types", "delivery_success"}, (*Server).listEvents),
		s.handle(get, "/v1/events/{id}", []string{}, (*Server).getEvent),
	}
}
