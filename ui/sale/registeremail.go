package sale

import (
	"regexp"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// The customer's receipt email: `@` on the register opens a one-line
// editor; the address goes into the sale's PaymentIntent (receipt_email),
// and Stripe emails the receipt once the payment succeeds.

// maxEmailLength is the longest address accepted (RFC 5321's 254).
const maxEmailLength = 254

var emailShape = regexp.MustCompile(`^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[^\s@.]{2,}$`)

// validEmail checks an address's shape: something@domain.tld, no spaces.
func validEmail(s string) bool {
	return len(s) <= maxEmailLength && emailShape.MatchString(s)
}

func (s *registerScreen) openEmail() {
	f := widgets.TextField(s.sess.T("sale.register.email_label"), maxEmailLength, s.sess.T("sale.register.email_hint"))
	f.Set(s.email)
	s.emailEdit = f
}

// emailKey edits the address; enter saves a valid (or empty) one.
func (s *registerScreen) emailKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		s.emailEdit, s.problem = nil, ""
	case tea.KeyEnter:
		v := strings.TrimSpace(s.emailEdit.Value)
		if v != "" && !validEmail(v) {
			s.problem = s.sess.T("sale.register.email_invalid", i18n.Args{"Email": v})
			return nil
		}
		s.email, s.emailEdit, s.problem = v, nil, ""
		s.sale.ReceiptEmail = v
		if v != "" {
			return app.Say(app.ToneOK, s.sess.T("sale.register.email_set", i18n.Args{"Email": v}))
		}
	default:
		s.problem = ""
		f := widgets.NewForm(s.emailEdit)
		f.Key(msg)
	}
	return nil
}

func (s *registerScreen) emailView(w int) string {
	return widgets.NewForm(s.emailEdit).View(s.deps.Styles, w, 14)
}
