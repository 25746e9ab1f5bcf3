// Package pos is Kasse's domain: money in integer minor units, the cart, the
// sale and refund state machines as pure functions, and the small interfaces
// ("ports") the domain needs from the outside world. It performs no I/O and
// imports neither Stripe nor Bubble Tea.
package pos
