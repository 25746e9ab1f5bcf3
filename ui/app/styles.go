package app

import (
	"github.com/charmbracelet/lipgloss"

	"kasse/config"
)

// Palette names the console's colours by meaning. Every style is built
// from it; views never create styles inline.
type Palette struct {
	Text     lipgloss.AdaptiveColor
	Subdued  lipgloss.AdaptiveColor
	Faint    lipgloss.AdaptiveColor
	Primary  lipgloss.AdaptiveColor
	Surface  lipgloss.AdaptiveColor
	OnAccent lipgloss.AdaptiveColor
	Success  lipgloss.AdaptiveColor
	Warning  lipgloss.AdaptiveColor
	Danger   lipgloss.AdaptiveColor
}

// DefaultPalette is Kasse's palette (Stripe-ish blurple on neutral greys).
func DefaultPalette() Palette {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	return Palette{
		Text:     c("#1A1B25", "#E6E6EF"),
		Subdued:  c("#6B7280", "#9CA3AF"),
		Faint:    c("#A3A8B4", "#5B6170"),
		Primary:  c("#533AFD", "#9E8CFF"),
		Surface:  c("#ECEBFF", "#2A2740"),
		OnAccent: c("#FFFFFF", "#0F0E17"),
		Success:  c("#0E7A3F", "#4ADE80"),
		Warning:  c("#A15C07", "#FBBF24"),
		Danger:   c("#C0123C", "#F87171"),
	}
}

// Styles holds every style the console renders with.
type Styles struct {
	App      lipgloss.Style // the application name in the header
	Crumb    lipgloss.Style // seller · location · reader
	CrumbSep lipgloss.Style
	Muted    lipgloss.Style
	Faint    lipgloss.Style
	Title    lipgloss.Style
	Label    lipgloss.Style
	Value    lipgloss.Style
	Rule     lipgloss.Style

	Mode map[string]lipgloss.Style // per mode badge

	Row         lipgloss.Style
	RowSelected lipgloss.Style
	RowDisabled lipgloss.Style
	Cursor      lipgloss.Style

	Filter       lipgloss.Style
	FilterCursor lipgloss.Style

	Amount lipgloss.Style
	Total  lipgloss.Style
	Entry  lipgloss.Style

	Success lipgloss.Style
	Warning lipgloss.Style
	Danger  lipgloss.Style
	Spinner lipgloss.Style

	Box      lipgloss.Style // panels on the live view and receipt
	Dialog   lipgloss.Style // confirmations and the test-card overlay
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style
}

// DefaultStyles builds Styles from p for lipgloss's default renderer (the
// terminal of the process: the local console).
func DefaultStyles(p Palette) Styles {
	return StylesFor(p, lipgloss.DefaultRenderer())
}

// StylesFor builds Styles from p for renderer r: its colour profile and
// background decide how they render. A session on another terminal (a
// counter of `kasse serve`) has a renderer of its own (Deps.Renderer) and
// Styles built for it.
func StylesFor(p Palette, r *lipgloss.Renderer) Styles {
	n := r.NewStyle
	badge := func(bg lipgloss.AdaptiveColor) lipgloss.Style {
		return n().Bold(true).Foreground(p.OnAccent).Background(bg).Padding(0, 1)
	}
	return Styles{
		App:      n().Bold(true).Foreground(p.Primary),
		Crumb:    n().Foreground(p.Text),
		CrumbSep: n().Foreground(p.Faint),
		Muted:    n().Foreground(p.Subdued),
		Faint:    n().Foreground(p.Faint),
		Title:    n().Bold(true).Foreground(p.Text),
		Label:    n().Foreground(p.Subdued),
		Value:    n().Foreground(p.Text),
		Rule:     n().Foreground(p.Faint),

		Mode: map[string]lipgloss.Style{
			config.ModeSandbox: badge(p.Primary),
			config.ModeTest:    badge(p.Warning),
			config.ModeLive:    badge(p.Danger),
		},

		Row:         n().Foreground(p.Text),
		RowSelected: n().Bold(true).Foreground(p.Primary).Background(p.Surface),
		RowDisabled: n().Foreground(p.Faint),
		Cursor:      n().Bold(true).Foreground(p.Primary),

		Filter:       n().Foreground(p.Text),
		FilterCursor: n().Foreground(p.Primary),

		Amount: n().Foreground(p.Text),
		Total:  n().Bold(true).Foreground(p.Text),
		Entry:  n().Bold(true).Foreground(p.Primary),

		Success: n().Bold(true).Foreground(p.Success),
		Warning: n().Bold(true).Foreground(p.Warning),
		Danger:  n().Bold(true).Foreground(p.Danger),
		Spinner: n().Foreground(p.Primary),

		Box:      n().Border(lipgloss.RoundedBorder()).BorderForeground(p.Faint).Padding(0, 1),
		Dialog:   n().Border(lipgloss.RoundedBorder()).BorderForeground(p.Primary).Padding(0, 1),
		HelpKey:  n().Foreground(p.Subdued),
		HelpDesc: n().Foreground(p.Faint),
		HelpSep:  n().Foreground(p.Faint),
	}
}

// Status picks the style for a tone.
func (s Styles) Status(t Tone) lipgloss.Style {
	switch t {
	case ToneOK:
		return s.Success
	case ToneWarn:
		return s.Warning
	case ToneError:
		return s.Danger
	}
	return s.Muted
}

// Tone is the mood of a status message.
type Tone int

const (
	ToneInfo Tone = iota
	ToneOK
	ToneWarn
	ToneError
)
