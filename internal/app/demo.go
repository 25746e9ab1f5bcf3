package app

import (
	"context"

	"kasse/i18n"
	"kasse/supervisor"
)

// addDemoOperators gives the sandbox's demo its operators (a cashier, a
// supervisor and a tech, see supervisor.DemoOperators) when the
// configuration wants them (config.Config.DemoOperators: sandbox mode, the
// demo seed, no operators of one's own), and their demo PINs to the
// sandbox journal where an operator has none yet. With a real key it does
// nothing: no demo operator exists there.
func (a *App) addDemoOperators(ctx context.Context) error {
	if !a.Config.DemoOperators() {
		return nil
	}
	demo := supervisor.DemoOperators()
	for _, d := range demo {
		a.Config.Operators = append(a.Config.Operators, d.Operator)
	}
	if _, err := a.Guard().SeedDemoPINs(ctx, demo, false); err != nil {
		return &setupError{Msg: i18n.M("cli.app.demo_operators", i18n.Args{"Error": err}), Err: err}
	}
	a.demo = demo
	return nil
}

// DemoOperators are the demo operators for the console's first screen,
// each with the demo PIN that still opens (none changed since, checked
// against the journal); nil outside the sandbox's demo.
func (a *App) DemoOperators(ctx context.Context) []supervisor.DemoOperator {
	if len(a.demo) == 0 {
		return nil
	}
	ops, err := a.Guard().SeedDemoPINs(ctx, a.demo, true)
	if err != nil {
		a.Log.Error("demo operators", "err", err)
		return nil
	}
	return ops
}
