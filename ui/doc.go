// Package ui is Kasse's terminal console (Bubble Tea v1): the root of a
// console session, and the packages below it that hold the screens.
//
// # The folder
//
//	ui/            the root: one stack of screens and the chrome around it
//	  root.go      Model: the stack, routing, NewSession
//	  header.go    View: header, status line, key help, help screen, too small
//	  dialog.go    dialogs above any screen (app.Ask)
//	  areas.go     f2/f3/f4/f9: the back office's areas, each behind a PIN
//	  run.go       New and Run for the composition root; Deps and friends
//	ui/app         the contract every screen keeps, and what screens share:
//	               Screen, the messages that move the stack (Push, Pop,
//	               Replace, Home, Ask, Say), Deps (a process's, read-only),
//	               Session (a cashier's), KeyMap, Styles, the back office's
//	               services and areas
//	ui/widgets     reusable pieces: form fields, the pickers' list, a
//	               request's state, text layout and wrapping, display names
//	ui/sale        the sale flow: seller → location → reader → register →
//	               live view → receipt; quitting and the sales found open at
//	               start; the reconcile log
//	ui/office      the back office: menu, PIN prompt, transactions and their
//	               detail, refund/capture/void, end of day
//	ui/fleet       the field tech's readers: the fleet, a reader's detail,
//	               pairing, rename/metadata/deregister, a test payment
//	ui/internal/uitest  the tests' harness, fakes and fixtures
//
// The screens are in sub-packages, one per part of the console, rather
// than prefixed files in one package: a package shows what a part needs
// (only app's contract and widgets, never another part's insides), keeps
// each part's names short, and lets the parts grow (customers, disputes,
// languages) without one package holding every screen. Dependencies point
// one way: ui → sale, office, fleet → widgets → app.
//
// # One stack
//
// The root owns the stack; its bottom is the seller list (the sale flow's
// home, never closed). Keys reach the screen on top, unless a dialog is
// open (its keys answer it), the help screen is (esc closes it), the
// terminal is below the top screen's MinSize (only ctrl+c), or the key is
// global (ctrl+c, ?, the back-office keys). Every other message — results
// of commands, timers — goes to every screen on the stack, and each drops
// what is not its own (results carry the sale, seller or request number
// they answer). A screen moves the console by returning a message:
// app.Push, Pop, PopTo, Replace, ReplaceAt, Home, Ask, Say, OpenArea.
// Nothing else changes the stack.
//
// # Deps and Session
//
// app.Deps is what every session of a process shares: the services, the
// configuration, the clock, the KeyMap and Styles. Nothing in it changes
// once the console runs, so sessions use it at once (NewSession). The
// per-cashier state — operator, language (an *i18n.Locale: every word,
// amount and date goes through it), seller · location · reader,
// remembered choices, approver, request numbers — is an app.Session,
// shared by that session's screens. Two sessions of one process may speak
// different languages. No package here keeps state in package variables (a
// test scans them). What is measured lazily is per session too: the inks
// (app.Deps.Ink measures the Styles' escape sequences and boxes once and
// keeps them in the Session), and the root's last key help line.
//
// # I/O
//
// Nothing in Update blocks. Every request runs in a tea.Cmd that captures
// copies of what it needs and is bounded by Deps.Timeout (app.Timed). A
// sale's effects run through Deps.Runner (*checkout.Runner, which writes
// the journal before any request goes out).
//
// # Tests
//
// Each package's tests drive a whole console through uitest.Harness: key
// messages in, commands run against in-memory fakes of the ports, timers
// held until a test fires them; views are compared with ui/testdata/*.golden
// at 100×30 with a fixed clock and the ASCII colour profile
// (`go test ./ui/... -update` rewrites them). export_test.go files give a
// package's tests a look inside its screens.
package ui
