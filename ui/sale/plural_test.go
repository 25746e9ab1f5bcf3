package ui

import "testing"

// "1 locations", "1 readers": counts on the pickers agree with their noun.
func TestPickerCountsAreSingularForOne(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("text:ramen")
	h.contains("1 of 5 sellers")
	h.keys("enter")
	h.contains("1 location")
	h.lacks("1 locations")
	h.keys("enter")
	h.contains("1 reader")
	h.lacks("1 readers")
}
