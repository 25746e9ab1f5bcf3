package supervisor

import (
	"context"
	"fmt"
	"io"

	"kasse/i18n"
)

// AuthorizeFromStdin is Authorize for a headless command (kasse readers
// register, …): the operator (--operator or the configured one) and the
// PIN from the next line of stdin, never a flag. The role is checked first,
// so an operator who may not is refused (and audited) before any PIN is
// asked for; prompt (stderr) gets "PIN of NAME: " in loc's words. subject is what the
// audit log says the action was on. A missing PIN is ErrInput; a "no" is a
// *Refusal.
func (g *Guard) AuthorizeFromStdin(ctx context.Context, operator string, action Action, subject string, stdin io.Reader, prompt io.Writer, loc *i18n.Locale) error {
	if operator == "" {
		return input(i18n.M("cli.supervisor.no_operator", i18n.Args{"Roles": roleList(permissions[action])}))
	}
	a := Attempt{Operator: operator, Action: action, Subject: subject}
	if err := g.Allowed(operator, action); err != nil {
		return g.Authorize(ctx, a) // refuses on the role, audited, no PIN read or counted
	}
	fmt.Fprint(prompt, loc.T("cli.supervisor.prompt.pin_of", i18n.Args{"Operator": operator})+" ")
	pin, err := ReadPIN(stdin)
	fmt.Fprintln(prompt)
	if err != nil || pin == "" {
		return input(i18n.M("cli.supervisor.no_pin_on_stdin_of", i18n.Args{"Operator": operator}))
	}
	a.PIN = pin
	return g.Authorize(ctx, a)
}
