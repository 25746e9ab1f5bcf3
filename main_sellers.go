package main

import (
	"context"
	"io"

	"kasse/headless"
	"kasse/internal/cli"
)

// runSellers is `kasse sellers [--json]`: the connected sellers, through
// the same Sellers port as the console's seller list.
func runSellers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return withApp(ctx, "sellers", "sellers [shared flags] [--json]", args, stderr, func(a *app, rest []string) int {
		return headless.RunSellers(ctx, a.be.client, rest, cli.IO{Out: stdout, Err: stderr})
	})
}
