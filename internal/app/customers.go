package app

import "kasse/customers"

// Customers is the customers' service of kasse customers, kasse charge
// and the console: customers and saved cards through the adapter, their
// requests recorded in this environment's journal.
func (a *App) Customers() *customers.Service {
	svc := &customers.Service{Customers: a.Client, Terminal: a.Client, Journal: a.Journal, ConsoleID: a.Config.ConsoleID,
		Log: a.Log.With("component", "customers")}
	if a.Runner.Presenter != nil {
		svc.Presenter = a.Runner.Presenter
	}
	return svc
}
