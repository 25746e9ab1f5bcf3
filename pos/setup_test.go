package pos

import "testing"

func TestReadSetup(t *testing.T) {
	setup := func(status, card, code string) Reader {
		return Reader{ID: "tmr_1", Action: &ReaderAction{Type: ActionProcessSetupIntent, Status: status, SetupIntentID: "seti_1",
			GeneratedCard: card, FailureCode: code, FailureMessage: code}}
	}
	for _, tc := range []struct {
		name  string
		r     Reader
		state SetupState
		card  string
		code  string
	}{
		{"waiting for the card", setup(ActionInProgress, "", ""), SetupWaiting, "", ""},
		{"saved", setup(ActionSucceeded, "pm_gen", ""), SetupSaved, "pm_gen", ""},
		{"declined", setup(ActionFailed, "", "setup_intent_authentication_failure"), SetupFailed, "", "setup_intent_authentication_failure"},
		{"a wallet: nothing to save", setup(ActionFailed, "", "card_not_supported"), SetupFailed, "", "card_not_supported"},
		{"succeeded without a card", setup(ActionSucceeded, "", ""), SetupFailed, "", "card_not_supported"},
		{"the customer canceled", setup(ActionFailed, "", "customer_canceled"), SetupFailed, "", "customer_canceled"},
		{"reset", Reader{ID: "tmr_1"}, SetupLeft, "", ""},
		{"another setup", Reader{ID: "tmr_1", Action: &ReaderAction{Type: ActionProcessSetupIntent, Status: ActionInProgress, SetupIntentID: "seti_2"}}, SetupLeft, "", ""},
		{"a payment replaced it", rdr(ours(ActionInProgress)), SetupLeft, "", ""},
	} {
		got := ReadSetup(tc.r, "seti_1")
		code := ""
		if got.Failure != nil {
			code = got.Failure.Code
		}
		if got.State != tc.state || got.Card != tc.card || code != tc.code {
			t.Errorf("%s: %+v (failure %q)", tc.name, got, code)
		}
		if SetupCancelable(tc.r, "seti_1") != (tc.state == SetupWaiting) {
			t.Errorf("%s: cancelable %v", tc.name, SetupCancelable(tc.r, "seti_1"))
		}
	}
}
