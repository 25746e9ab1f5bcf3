package readers

import (
	"testing"

	"kasse/pos"
)

func TestDeviceType(t *testing.T) {
	for _, c := range []struct {
		r    pos.Reader
		want string
	}{
		{pos.Reader{DeviceType: "simulated_wisepos_e", SerialNumber: "S700-SIM-abcdefghi"}, "simulated_stripe_s700"},
		{pos.Reader{DeviceType: "simulated_wisepos_e", SerialNumber: "WPE-SIM-abcdefghij"}, "simulated_wisepos_e"},
		{pos.Reader{DeviceType: "bbpos_wisepos_e", SerialNumber: "S700-SIM-x"}, "bbpos_wisepos_e"},
		{pos.Reader{DeviceType: "stripe_s700", SerialNumber: "STRS7-1"}, "stripe_s700"},
		{pos.Reader{}, ""},
	} {
		if got := DeviceType(c.r); got != c.want {
			t.Errorf("DeviceType(%s, %s) = %q, want %q", c.r.DeviceType, c.r.SerialNumber, got, c.want)
		}
	}
}
