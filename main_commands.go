package main

import (
	"context"
	"fmt"
	"io"
)

// runCharge and runReaders are wired once their packages land.
func runCharge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kasse charge: not available yet")
	return 1
}

func runReaders(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kasse readers: not available yet")
	return 1
}
