package plural

import "testing"

func TestCount(t *testing.T) {
	tests := []struct {
		n    int
		one  string
		many []string
		want string
	}{
		{0, "location", nil, "0 locations"},
		{1, "location", nil, "1 location"},
		{2, "location", nil, "2 locations"},
		{-1, "refund", nil, "-1 refund"},
		{1, "try", []string{"tries"}, "1 try"},
		{4, "try", []string{"tries"}, "4 tries"},
		{21, "payment made elsewhere", []string{"payments made elsewhere"}, "21 payments made elsewhere"},
	}
	for _, tt := range tests {
		if got := Count(tt.n, tt.one, tt.many...); got != tt.want {
			t.Errorf("Count(%d, %q, %q) = %q, want %q", tt.n, tt.one, tt.many, got, tt.want)
		}
	}
}
