package pos

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// LocationSellerKey is the Terminal location metadata key that ties a
// platform-owned location to the connected seller it serves; its value is
// the seller's account id (acct_…). Kasse sets it on every location it
// creates for a seller (kasse readers create-location --seller, pairing a
// reader at a new location in the console) and the sandbox's demo data
// carries it. A platform location without it is matched by name
// (LocationServes), the way locations made before the key existed were.
const LocationSellerKey = "kasse_seller"

// SellerMetadata is the location metadata that ties a new location to
// seller (nil for the platform: nothing to tie).
func SellerMetadata(seller Account) map[string]string {
	if seller.IsPlatform() {
		return nil
	}
	return map[string]string{LocationSellerKey: string(seller)}
}

// TaggedSeller returns the seller l's metadata ties it to, if any.
func (l Location) TaggedSeller() (Account, bool) {
	v := strings.TrimSpace(l.Metadata[LocationSellerKey])
	return Account(v), v != ""
}

// LocationServes reports whether the platform location l is where seller s
// sells: by its LocationSellerKey metadata when it has one (that decides,
// whatever the name says), else — for locations made without the key — by
// its display name, which must be the seller's display name or start with
// it followed by a non-letter ("Café Olé – Bahnhof" for "Café Olé", not
// "Café Oléander"), case and surrounding blanks ignored.
func LocationServes(l Location, s Seller) bool {
	if tagged, ok := l.TaggedSeller(); ok {
		return tagged == s.ID
	}
	name := strings.ToLower(strings.TrimSpace(l.DisplayName))
	want := strings.ToLower(strings.TrimSpace(s.DisplayName))
	if want == "" {
		return false
	}
	if name == want {
		return true
	}
	if !strings.HasPrefix(name, want) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(name[len(want):])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// OtherSellersLocation reports the other seller that platform location l
// belongs to more closely than to seller: one its metadata names, or one
// whose longer name it carries ("Taco Loco Express – Downtown" is Taco Loco
// Express's, though it starts with "Taco Loco").
func OtherSellersLocation(l Location, seller Seller, sellers []Seller) (Seller, bool) {
	if !l.Owner.IsPlatform() {
		return Seller{}, false // a seller's own location is the seller's
	}
	if v, ok := l.TaggedSeller(); ok {
		if v == seller.ID {
			return Seller{}, false
		}
		for _, o := range sellers {
			if o.ID == v {
				return o, true
			}
		}
		return Seller{ID: v, DisplayName: string(v)}, true
	}
	var best Seller
	for _, o := range sellers {
		if o.ID != seller.ID && len(o.DisplayName) > len(seller.DisplayName) && len(o.DisplayName) > len(best.DisplayName) &&
			LocationServes(l, o) {
			best = o
		}
	}
	return best, best.ID != ""
}
