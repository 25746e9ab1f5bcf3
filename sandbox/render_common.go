package sandbox

// Rendering helpers shared by every object.

// nullString renders "" as null.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// addressJSON is the spec's `address` (every field nullable).
type addressJSON struct {
	City       *string `json:"city"`
	Country    *string `json:"country"`
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	PostalCode *string `json:"postal_code"`
	State      *string `json:"state"`
}

func renderAddress(a address) addressJSON {
	return addressJSON{City: nullString(a.city), Country: nullString(a.country), Line1: nullString(a.line1),
		Line2: nullString(a.line2), PostalCode: nullString(a.postalCode), State: nullString(a.state)}
}
