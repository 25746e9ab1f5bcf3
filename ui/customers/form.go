package customers

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	cus "kasse/customers"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// formScreen creates a customer: a name (required), an email (for
// receipts; checked), a phone, and where: the platform's wallet (the
// customer can then pay at any seller) or the seller's own customers.
// Created, the customer's screen takes the form's place.
type formScreen struct {
	deps   *app.Deps
	sess   *app.Session
	seller *pos.Seller
	saleID string

	form               *widgets.Form
	name, email, phone *widgets.Field
	where              *widgets.Field // wallet | seller (when there is a seller)
	widgets.FormState
}

func newForm(deps *app.Deps, sess *app.Session, seller *pos.Seller, saleID string, wallet bool, typed string) *formScreen {
	s := &formScreen{deps: deps, sess: sess, seller: seller, saleID: saleID,
		name:  widgets.TextField(sess.T("customers.form.name"), 256, ""),
		email: widgets.TextField(sess.T("customers.form.email"), 254, sess.T("customers.form.email_hint")),
		phone: widgets.TextField(sess.T("customers.form.phone"), 20, ""),
	}
	if strings.Contains(typed, "@") {
		s.email.Set(typed)
	} else {
		s.name.Set(typed)
	}
	fields := []*widgets.Field{s.name, s.email, s.phone}
	if seller != nil {
		s.where = widgets.ChoiceField(sess.T("customers.form.where"),
			[]string{sess.T("customers.wallet"), sess.T("customers.at_seller", i18n.Args{"Seller": sellerName(*seller)})},
			sess.T("customers.form.where_hint"))
		if !wallet {
			s.where.Choose(1)
		}
		fields = append(fields, s.where)
	}
	s.Form = widgets.NewForm(fields...)
	return s
}

func (s *formScreen) Init() tea.Cmd { return nil }

func (s *formScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case createdMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			if text, bad := badText(s.sess.Loc, msg.err); bad {
				s.Problem, s.Err = text, nil
			}
			return nil
		}
		return tea.Batch(app.Replace(newDetail(s.deps, s.sess, s.seller, s.saleID, msg.c)),
			app.Say(app.ToneOK, s.sess.T("customers.form.created", i18n.Args{"Name": msg.c.Label()})))
	case tea.KeyMsg:
		return s.FormKey(k, msg, s.submit)
	}
	return nil
}

func (s *formScreen) submit() tea.Cmd {
	n := cus.NewCustomer{Name: s.name.Text(), Email: s.email.Text(), Phone: s.phone.Text()}
	if s.seller != nil && s.where.Choice == 1 {
		n.Owner = s.seller.ID
	}
	svc, seq := s.deps.Customers, s.Begin(s.sess)
	return app.Timed(s.deps.Timeout, func(ctx context.Context) tea.Msg {
		c, err := svc.Create(ctx, n)
		return createdMsg{seq: seq, c: c, err: err}
	})
}

func (s *formScreen) Title() string { return s.sess.T("customers.form.title") }

func (s *formScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n\n")
	b.WriteString(s.Form.View(st, w, 12) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(sess) + st.Muted.Render(" "+sess.T("customers.form.creating")))
	case s.Problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.Problem, w))
	case s.Err != nil:
		b.WriteString(widgets.ErrLines(st, sess.Loc, sess.T("customers.form.failed"), s.Err, w))
	default:
		b.WriteString(widgets.StyledLines(st.Muted, sess.T("customers.form.hint"), w))
	}
	return b.String()
}

func (s *formScreen) Loading() bool      { return s.Busy }
func (s *formScreen) CapturesText() bool { return true }

func (s *formScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *formScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

func (s *formScreen) MinSize() (int, int) { return app.DefaultMinSize() }
