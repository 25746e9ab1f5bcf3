// Package app is the contract between the console's root (package ui) and
// its screens (packages sale, office, fleet), and what the screens share.
//
//	screen.go     Screen: Init, Update, View, Title, ShortHelp, FullHelp,
//	              MinSize, Loading, CapturesText; Resumer (on top again),
//	              Area (a back-office screen: the header names the area)
//	messages.go   what a screen asks the root: Push, Pop, PopN, PopTo,
//	              Replace, ReplaceAt, Home, Ask, Say, OpenArea
//	dialog.go     Dialog and Choice: a question above any screen
//	deps.go       Deps: a process's services, configuration, clock, keys
//	              and styles, shared read-only by every session
//	session.go    Session: one cashier's operator, language (Loc),
//	              place, choices, approval
//	services.go   the back office's services (Guard, Supervisor, Reports,
//	services_fleet.go  Fleet), Saver, SaleRunner: small interfaces over the
//	              application packages, satisfied by them directly
//	areas.go      the back office's areas and who may open them
//	keys.go       the one KeyMap; its help texts are message keys
//	              (Localized renders them per session)
//	styles.go     the one Styles, from a named Palette; Tone
//	ink.go        Inks: the Styles the register and the live view draw
//	              with most, rendered as measured escape sequences (kept
//	              per Session: Deps.Ink), boxes measured once per width,
//	              TextWidth without grapheme segmentation
//	testcards.go  Stripe's card_present test cards
//	timed.go      Timed: a request in a tea.Cmd, bounded by a timeout
package app
