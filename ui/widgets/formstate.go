package widgets

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/supervisor"
	"kasse/ui/app"
)

// FormState is what a form screen keeps besides its fields: the form, the
// request its submit sent, and the problem found before sending, shown
// until the operator types again. Form screens embed it.
type FormState struct {
	Form *Form
	Request
	Problem string
}

// FormKey is a form screen's key, the same on every form: Back leaves (a
// typed PIN is dropped first); while the request runs no other key does
// anything; Submit calls submit; any other key edits the form and clears
// the problem.
func (e *FormState) FormKey(k app.KeyMap, msg tea.KeyMsg, submit func() tea.Cmd) tea.Cmd {
	switch {
	case key.Matches(msg, k.Back):
		e.Form.ClearPINs()
		return app.Pop()
	case e.Busy:
	case key.Matches(msg, k.Submit):
		return submit()
	case e.Form.Key(msg):
		e.Problem = ""
	}
	return nil
}

// Refuse shows problem and moves the focus to f, the field to fix: no
// request is sent.
func (e *FormState) Refuse(f *Field, problem string) tea.Cmd {
	e.Problem = problem
	e.Form.FocusOn(f)
	return nil
}

// Approval is the two fields through which an operator approves an action
// on a form: their name and their PIN, typed masked. Take hands the PIN to
// the one request that checks it and clears the field at once: the model
// never keeps a PIN.
type Approval struct {
	Op, PIN *Field
}

// NewApproval is an operator field (label, hint; filled in with who) and a
// PIN field in loc.
func NewApproval(loc *i18n.Locale, label, hint, who string) Approval {
	a := Approval{Op: TextField(label, 64, hint), PIN: PINField(loc)}
	a.Op.Set(who)
	return a
}

// Take returns the operator and the PIN typed, and clears the PIN field.
func (a Approval) Take() (op, pin string) {
	op, pin = a.Op.Text(), a.PIN.Value
	a.PIN.Value = ""
	return op, pin
}

// Missing is the field to fix and what to say in loc when the operator or
// the PIN is missing; nil when both are there.
func (a Approval) Missing(loc *i18n.Locale, op, pin string) (*Field, string) {
	switch {
	case op == "":
		return a.Op, loc.T("office.pin.type_operator")
	case pin == "":
		return a.PIN, loc.T("office.pin.type_pin")
	}
	return nil, ""
}

// ApprovalErr says in loc why an approved action did not happen: the
// Guard's refusal as Refusal says it, or else failed, a message that
// takes the error as {Error}.
func ApprovalErr(loc *i18n.Locale, now time.Time, err error, failed string) string {
	if r, ok := supervisor.AsRefusal(err); ok {
		return Refusal(loc, r, now)
	}
	return loc.T(failed, i18n.Args{"Error": ErrText(loc, err)})
}
