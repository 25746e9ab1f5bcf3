package readers

import (
	"fmt"
	"text/tabwriter"

	"kasse/i18n"
	"kasse/pos"
)

// groupView is a LocationGroup as `readers list --json` prints it.
type groupView struct {
	Owner     string       `json:"owner"` // "platform" or acct_…
	OwnerName string       `json:"owner_name"`
	Location  locationView `json:"location"`
	Readers   []readerView `json:"readers"`
	Missing   bool         `json:"location_missing,omitempty"`
}

type locationView struct {
	ID          string      `json:"id"`
	DisplayName string      `json:"display_name"`
	Address     addressView `json:"address"`
	// Seller is the seller the location is tied to by its metadata
	// (pos.LocationSellerKey), "" when untagged.
	Seller string `json:"seller,omitempty"`
}

type addressView struct {
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

func viewLocation(l pos.Location) locationView {
	a := l.Address
	seller, _ := l.TaggedSeller()
	return locationView{ID: l.ID, DisplayName: l.DisplayName, Seller: string(seller), Address: addressView{Line1: a.Line1, Line2: a.Line2,
		City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country}}
}

type readerView struct {
	ReaderFacts
	Health healthView `json:"health"`
}

type healthView struct {
	Level   Level  `json:"level"`
	Summary string `json:"summary"`
}

func (c *cli) views(groups []LocationGroup) []groupView {
	out := make([]groupView, 0, len(groups))
	for _, g := range groups {
		v := groupView{Owner: g.Owner.String(), OwnerName: g.OwnerName, Missing: g.Missing, Readers: []readerView{},
			Location: viewLocation(g.Location)}
		for _, r := range g.Readers {
			h := Health(r, c.f.now())
			v.Readers = append(v.Readers, readerView{ReaderFacts: facts(r), Health: healthView{Level: h.Level, Summary: h.Summary}})
		}
		out = append(out, v)
	}
	return out
}

// list: `readers list [--json]`. A partial inventory is printed, the
// failures go to stderr, and the exit code is 1.
func (c *cli) list(args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, c.t("cli.readers.flag.json"))
	if code, ok := c.parse(fs, args); !ok {
		return code
	}
	groups, err := c.f.Inventory(c.ctx)
	if groups == nil && err != nil {
		return c.fail(err)
	}
	code := ExitOK
	if *asJSON {
		code = c.printJSON(c.views(groups))
	} else {
		c.printGroups(groups)
	}
	if err != nil {
		fmt.Fprintln(c.stderr, c.t("cli.readers.warning", i18n.Args{"Warning": RedactString(c.loc.Err(err))}))
		return ExitError
	}
	return code
}

func (c *cli) printGroups(groups []LocationGroup) {
	n := 0
	for _, g := range groups {
		n += len(g.Readers)
	}
	fmt.Fprintln(c.stdout, c.t("cli.readers.list_count", i18n.Args{"Readers": c.loc.N("count.readers", n),
		"AtLocations": c.loc.N("cli.readers.at_locations", len(groups))}))
	for _, g := range groups {
		owner := c.t("cli.readers.platform")
		if !g.Owner.IsPlatform() {
			owner = fmt.Sprintf("%s (%s)", g.OwnerName, g.Owner)
		}
		name := g.Location.DisplayName
		switch {
		case g.Missing && g.Location.ID == "":
			name = c.t("cli.readers.no_location")
		case g.Missing:
			name = c.t("cli.readers.location_not_found")
		}
		fmt.Fprintf(c.stdout, "\n%s · %s %s", owner, name, g.Location.ID)
		if addr := formatAddress(g.Location.Address); addr != "" {
			fmt.Fprintf(c.stdout, " · %s", addr)
		}
		fmt.Fprintln(c.stdout)
		if len(g.Readers) == 0 {
			fmt.Fprintln(c.stdout, "  "+c.t("cli.readers.no_readers"))
			continue
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  "+c.t("cli.readers.list_header"))
		for _, r := range g.Readers {
			h := Health(r, c.f.now())
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Label, orDash(DeviceType(r)), orDash(r.Status),
				orDash(r.SerialNumber), orDash(r.SoftwareVersion), orDash(r.IPAddress), c.actionWord(r.Action), healthWord(h))
		}
		_ = tw.Flush()
	}
}

// actionWord is the ACTION column: "idle" in the command's words, or the
// action (Stripe's codes).
func (c *cli) actionWord(a *pos.ReaderAction) string {
	if a == nil {
		return c.t("cli.readers.idle")
	}
	return c.loc.Render(ActionMessage(a))
}

// healthWord is the HEALTH column: the level and the first problem's
// check, codes a script can match ("ok", "fail: status").
func healthWord(h HealthReport) string {
	p := h.Problems()
	if len(p) == 0 {
		return h.Level.String()
	}
	return h.Level.String() + ": " + p[0].Name
}
