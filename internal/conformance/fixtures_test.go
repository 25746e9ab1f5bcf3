package conformance

import (
	"slices"
	"strconv"
	"testing"
)

func TestFixtureKeys(t *testing.T) {
	got := FixtureKeys("terminal.reader")
	want := []string{"action", "device_sw_version", "device_type", "id", "ip_address", "label",
		"livemode", "location", "metadata", "object", "serial_number", "status"}
	if !slices.Equal(got, want) {
		t.Errorf("FixtureKeys(terminal.reader) = %v, want %v", got, want)
	}
	if got := FixtureKeys("no.such_object"); got != nil {
		t.Errorf("FixtureKeys(unknown) = %v, want nil", got)
	}
	// The refund fixture lacks some schema properties; only its keys count.
	if slices.Contains(FixtureKeys("refund"), "description") {
		t.Error("refund fixture now has description; revisit TestMissingFixtureKeys")
	}
}

func TestMissingFixtureKeys(t *testing.T) {
	s := stripeMockSamples(t)
	reader := func() map[string]any { return decode(t, s["terminal.readers.get"].body) }
	readerList := func() map[string]any { return decode(t, s["terminal.readers.list"].body) }
	refund := func() map[string]any { return decode(t, s["refunds.create"].body) }

	cases := []struct {
		name   string
		mutate func() map[string]any
		want   []string
	}{
		{"complete reader", reader, nil},
		{"top-level key dropped", func() map[string]any {
			m := reader()
			delete(m, "action")
			delete(m, "location")
			return m
		}, []string{"action", "location"}},
		{"key dropped inside expanded payment_intent", func() map[string]any {
			m := reader()
			pi := child(t, child(t, child(t, m, "action"), "process_payment_intent"), "payment_intent")
			delete(pi, "latest_charge")
			return m
		}, []string{"action.process_payment_intent.payment_intent.latest_charge"}},
		{"key dropped in a list item", func() map[string]any {
			m := readerList()
			data := m["data"].([]any)
			delete(data[len(data)-1].(map[string]any), "ip_address")
			return m
		}, []string{"data[" + strconv.Itoa(len(readerList()["data"].([]any))-1) + "].ip_address"}},
		{"deleted stub", func() map[string]any {
			return map[string]any{"id": "tmr_1", "object": "terminal.reader", "deleted": true}
		}, nil},
		{"refund without keys its fixture lacks", func() map[string]any {
			m := refund()
			delete(m, "description")
			delete(m, "failure_reason")
			return m
		}, nil},
		{"refund without status", func() map[string]any {
			m := refund()
			delete(m, "status")
			return m
		}, []string{"status"}},
		{"event data.object is checked, previous_attributes is not", func() map[string]any {
			r := reader()
			delete(r, "serial_number")
			return map[string]any{"object": "unknown_envelope", "data": map[string]any{
				"object":              r,
				"previous_attributes": map[string]any{"object": "terminal.reader", "label": "old"},
			}}
		}, []string{"data.object.serial_number"}},
		{"no object field", func() map[string]any { return map[string]any{"id": "x"} }, nil},
	}
	for _, c := range cases {
		if got := MissingFixtureKeys(c.mutate()); !slices.Equal(got, c.want) {
			t.Errorf("%s: MissingFixtureKeys = %v, want %v", c.name, got, c.want)
		}
	}
}
