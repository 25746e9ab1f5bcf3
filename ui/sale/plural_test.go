package sale_test

import (
	"testing"

	"kasse/ui/internal/uitest"
)

// "1 locations", "1 readers": counts on the pickers agree with their noun.
func TestPickerCountsAreSingularForOne(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("text:ramen")
	h.Contains("1 of 5 sellers")
	h.Keys("enter")
	h.Contains("1 location")
	h.Lacks("1 locations")
	h.Keys("enter")
	h.Contains("1 reader")
	h.Lacks("1 readers")
}
