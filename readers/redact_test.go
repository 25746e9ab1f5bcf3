package readers

import (
	"strings"
	"testing"
)

func TestRedactString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"key sk_test_51Habc123XYZ used", "key [redacted] used"},
		{"Bearer sk_live_" + "abcdefABCDEF0123456789", "Bearer [redacted]"},
		{"rk_test_abc and rk_live_def", "[redacted] and [redacted]"},
		{"glued:xsk_test_abc", "glued:x[redacted]"},
		{"legacy sk_0123456789abcdefXYZ end", "legacy [redacted] end"},
		{"secret whsec_abc+/=123 here", "secret [redacted] here"},
		{"pin=1234", "pin=[redacted]"},
		{`{"PIN": "0000"}`, `{"PIN": "[redacted]"}`},
		{"admin_pincode: 07139", "admin_pincode: [redacted]"},
		{"reader_pin=1234 wifi_password=x", "reader_pin=[redacted] wifi_password=[redacted]"},
		{"pin_code=987654", "pin_code=[redacted]"},
		{"password: hunter2;", "password: [redacted];"},
		{"card 4242424242424242 read", "card [card …4242] read"},
		{"id 1234567890123 kept", "id 1234567890123 kept"}, // not Luhn-valid
		{"/v1/terminal/readers/tmr_1/cancel_action", "/v1/terminal/readers/tmr_1/cancel_action"},
		{"spinning=3 shipping: 5", "spinning=3 shipping: 5"},
	}
	for _, c := range cases {
		if got := RedactString(c.in); got != c.want {
			t.Errorf("RedactString(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestSensitiveKeyAndRedactMap(t *testing.T) {
	for k, want := range map[string]bool{
		"pin": true, "admin_pin": true, "PIN": true, "adminPinCode": true, "pincode": true, "passcode": true,
		"wifi_password": true, "api_key": true, "webhook-secret": true, "token": true,
		"shipping": false, "spinner": false, "till": false, "label": false, "keyboard": false,
	} {
		if got := SensitiveKey(k); got != want {
			t.Errorf("SensitiveKey(%q) = %v", k, got)
		}
	}
	m := RedactMap(map[string]string{"admin_pin": "07139", "till": "3", "note": "uses sk_test_abc"})
	if m["admin_pin"] != Redacted || m["till"] != "3" || m["note"] != "uses [redacted]" {
		t.Errorf("RedactMap = %v", m)
	}
	if RedactMap(nil) != nil {
		t.Error("nil in, nil out")
	}
	if strings.Contains(RedactString("sk_test_x sk_live_y rk_test_z whsec_w"), "_") {
		t.Error("every key must go")
	}
}
