package serve

import (
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// sessionEnv is an SSH session's environment: what the client sent (ssh
// SendEnv / SetEnv: LANG, NO_COLOR, COLORTERM, …) and its terminal type.
type sessionEnv []string

// Getenv implements termenv.Environ (and is the session's getenv).
func (e sessionEnv) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- { // the last one sent wins
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// Environ implements termenv.Environ.
func (e sessionEnv) Environ() []string { return e }

// newRenderer is a lipgloss renderer for one counter's terminal: its
// colour profile from the session's environment (TERM, COLORTERM,
// NO_COLOR, CLICOLOR_FORCE, as a local terminal's), its background from
// COLORFGBG when the client sends it, else dark. Nothing is asked of the
// terminal: a query for its background (wish's bubbletea.MakeRenderer
// does one) waits for an answer many terminals never give, and swallows
// the first key typed meanwhile.
func newRenderer(env sessionEnv) *lipgloss.Renderer {
	opts := []termenv.OutputOption{termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true)}
	profile := termenv.NewOutput(io.Discard, opts...).EnvColorProfile()
	r := lipgloss.NewRenderer(io.Discard, opts...)
	r.SetColorProfile(profile)
	r.SetHasDarkBackground(darkBackground(env.Getenv("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("15;0": white on black); without it the
// console's palette assumes a dark background.
func darkBackground(fgbg string) bool {
	parts := strings.Split(fgbg, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if fgbg == "" || err != nil {
		return true
	}
	// The 16 ANSI colours: 0-6 and 8 are dark; 7 and 9-15 are light.
	return bg < 7 || bg == 8
}
