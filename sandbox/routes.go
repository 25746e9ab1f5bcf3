package sandbox

import "net/http"

// routeTable is the API surface of the sandbox: exactly the subset Kasse
// uses, as net/http.ServeMux patterns ({id} is the path's object id) with
// the top-level parameters each accepts besides expand (nil: the handler
// checks its parameters itself). Handlers live next to the objects they
// serve; a route's file is named after its path (/v1/terminal/readers →
// terminal_readers.go).
var routeTable = routes{
	// Connect
	{get, "/v1/accounts", listParams, (*Server).listAccounts},
	{get, "/v1/accounts/{id}", []string{}, (*Server).getAccount},
	{get, "/v1/account", []string{}, (*Server).getOwnAccount},

	// Terminal locations
	{post, "/v1/terminal/locations", []string{"display_name", "address", "configuration_overrides", "metadata"}, (*Server).createLocation},
	{get, "/v1/terminal/locations", []string{"limit", "starting_after", "ending_before"}, (*Server).listLocations},
	{get, "/v1/terminal/locations/{id}", []string{}, (*Server).getLocation},
	{post, "/v1/terminal/locations/{id}", []string{"display_name", "address", "configuration_overrides", "metadata"}, (*Server).updateLocation},
	{del, "/v1/terminal/locations/{id}", []string{}, (*Server).deleteLocation},

	// Terminal readers
	{post, "/v1/terminal/readers", []string{"registration_code", "label", "location", "metadata"}, (*Server).registerReader},
	{get, "/v1/terminal/readers", []string{"limit", "starting_after", "ending_before", "location", "status", "device_type", "serial_number"}, (*Server).listReaders},
	{get, "/v1/terminal/readers/{id}", []string{}, (*Server).getReader},
	{post, "/v1/terminal/readers/{id}", []string{"label", "metadata"}, (*Server).updateReader},
	{del, "/v1/terminal/readers/{id}", []string{}, (*Server).deleteReader},
	{post, "/v1/terminal/readers/{id}/process_payment_intent", []string{"payment_intent", "process_config"}, (*Server).processPaymentIntent},
	{post, "/v1/terminal/readers/{id}/process_setup_intent", []string{"setup_intent", "customer_consent_collected", "process_config"}, (*Server).processSetupIntent},
	{post, "/v1/terminal/readers/{id}/cancel_action", []string{}, (*Server).cancelAction},
	{post, "/v1/terminal/readers/{id}/set_reader_display", []string{"type", "cart"}, (*Server).setReaderDisplay},
	{post, "/v1/test_helpers/terminal/readers/{id}/present_payment_method", []string{"type", "card_present", "interac_present", "amount_tip"}, (*Server).presentPaymentMethod},

	// Customers, their PaymentMethods, saving cards (customers.go,
	// payment_methods.go, setup_intents.go, setup_attempts.go)
	{post, "/v1/customers", customerCreateParams, (*Server).createCustomer},
	{get, "/v1/customers", []string{"limit", "starting_after", "ending_before", "created", "email"}, (*Server).listCustomers},
	{get, "/v1/customers/{id}", []string{}, (*Server).getCustomer},
	{post, "/v1/customers/{id}", customerParams, (*Server).updateCustomer},
	{del, "/v1/customers/{id}", []string{}, (*Server).deleteCustomer},
	{get, "/v1/customers/{id}/payment_methods", []string{"limit", "starting_after", "ending_before", "type"}, (*Server).listCustomerPaymentMethods},
	{post, "/v1/payment_methods", []string{"customer", "payment_method", "metadata", "type"}, (*Server).createPaymentMethod},
	{get, "/v1/payment_methods", []string{"limit", "starting_after", "ending_before", "customer", "type"}, (*Server).listPaymentMethods},
	{get, "/v1/payment_methods/{id}", []string{}, (*Server).getPaymentMethod},
	{post, "/v1/payment_methods/{id}/attach", []string{"customer"}, (*Server).attachPaymentMethodRoute},
	{post, "/v1/payment_methods/{id}/detach", []string{}, (*Server).detachPaymentMethodRoute},
	{post, "/v1/setup_intents", []string{"payment_method_types", "customer", "description", "metadata", "usage"}, (*Server).createSetupIntent},
	{get, "/v1/setup_intents/{id}", []string{}, (*Server).getSetupIntent},
	{post, "/v1/setup_intents/{id}/cancel", []string{"cancellation_reason"}, (*Server).cancelSetupIntent},
	{get, "/v1/setup_attempts", []string{"limit", "starting_after", "ending_before", "created", "setup_intent"}, (*Server).listSetupAttempts},

	// PaymentIntents
	{post, "/v1/payment_intents", []string{"amount", "currency", "payment_method_types", "capture_method", "description",
		"metadata", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "application_fee_amount",
		"on_behalf_of", "transfer_data", "transfer_group", "customer", "setup_future_usage", "payment_method_options",
		"payment_method", "confirm", "off_session", "error_on_requires_action"}, (*Server).createIntent},
	{get, "/v1/payment_intents", []string{"limit", "starting_after", "ending_before", "created", "customer"}, (*Server).listIntents},
	{get, "/v1/payment_intents/{id}", []string{"client_secret"}, (*Server).getIntent},
	{post, "/v1/payment_intents/{id}", []string{"amount", "currency", "description", "metadata", "receipt_email",
		"statement_descriptor", "statement_descriptor_suffix", "application_fee_amount", "capture_method", "payment_method_types"}, (*Server).updateIntent},
	{post, "/v1/payment_intents/{id}/capture", []string{"amount_to_capture", "application_fee_amount", "final_capture",
		"metadata", "statement_descriptor", "statement_descriptor_suffix", "transfer_data"}, (*Server).captureIntent},
	{post, "/v1/payment_intents/{id}/cancel", []string{"cancellation_reason"}, (*Server).cancelIntent},

	// Charges and refunds
	{get, "/v1/charges", []string{"limit", "starting_after", "ending_before", "created", "payment_intent", "customer"}, (*Server).listCharges},
	{get, "/v1/charges/{id}", []string{}, (*Server).getCharge},
	{post, "/v1/refunds", []string{"payment_intent", "charge", "amount", "reason", "metadata", "refund_application_fee", "reverse_transfer"}, (*Server).createRefund},
	{get, "/v1/refunds", []string{"limit", "starting_after", "ending_before", "created", "payment_intent", "charge"}, (*Server).listRefunds},
	{get, "/v1/refunds/{id}", []string{}, (*Server).getRefund},

	// Connect: transfers and their reversals, application fees and their
	// refunds (transfers.go, application_fees.go)
	{post, "/v1/transfers", []string{"amount", "currency", "destination", "transfer_group", "source_transaction",
		"source_type", "description", "metadata"}, (*Server).createTransfer},
	{get, "/v1/transfers", []string{"limit", "starting_after", "ending_before", "created", "destination", "transfer_group"}, (*Server).listTransfers},
	{get, "/v1/transfers/{id}", []string{}, (*Server).getTransfer},
	{post, "/v1/transfers/{id}/reversals", []string{"amount", "description", "metadata", "refund_application_fee"}, (*Server).createReversal},
	{get, "/v1/transfers/{id}/reversals", []string{"limit", "starting_after", "ending_before"}, (*Server).listReversals},
	{get, "/v1/application_fees", []string{"limit", "starting_after", "ending_before", "created", "charge"}, (*Server).listFees},
	{get, "/v1/application_fees/{id}", []string{}, (*Server).getFee},
	{post, "/v1/application_fees/{id}/refunds", []string{"amount", "metadata"}, (*Server).createFeeRefund},
	{get, "/v1/application_fees/{id}/refunds", []string{"limit", "starting_after", "ending_before"}, (*Server).listFeeRefunds},

	// Events
	{get, "/v1/events", []string{"limit", "starting_after", "ending_before", "created", "type", "types", "delivery_success"}, (*Server).listEvents},
	{get, "/v1/events/{id}", []string{}, (*Server).getEvent},

	// Webhook endpoints (delivery: webhook_delivery.go) and disputes
	{post, "/v1/webhook_endpoints", []string{"url", "enabled_events", "api_version", "connect", "description", "metadata"}, (*Server).createWebhook},
	{get, "/v1/webhook_endpoints", []string{"limit", "starting_after", "ending_before"}, (*Server).listWebhooks},
	{get, "/v1/webhook_endpoints/{id}", []string{}, (*Server).getWebhook},
	{post, "/v1/webhook_endpoints/{id}", []string{"url", "enabled_events", "disabled", "description", "metadata"}, (*Server).updateWebhook},
	{del, "/v1/webhook_endpoints/{id}", []string{}, (*Server).deleteWebhook},
	{get, "/v1/disputes", []string{"limit", "starting_after", "ending_before", "created", "charge", "payment_intent"}, (*Server).listDisputes},
	{get, "/v1/disputes/{id}", []string{}, (*Server).getDispute},
	{post, "/v1/disputes/{id}", []string{"evidence", "metadata", "submit"}, (*Server).updateDispute},
	{post, "/v1/disputes/{id}/close", []string{}, (*Server).closeDisputeRoute},
}

const get, post, del = http.MethodGet, http.MethodPost, http.MethodDelete

var listParams = []string{"limit", "starting_after", "ending_before", "created"}

// customerCreateParams: a customer is created with the fields update
// takes and the PaymentMethod to attach to it.
var customerCreateParams = append([]string{"payment_method"}, customerParams...)
