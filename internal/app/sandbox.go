package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kasse/internal/cli"
	"kasse/sandbox"
)

// RunSandbox is `kasse sandbox`: the sandbox served alone on a loopback
// address, with the embedded one's settings (config sandbox.*) unless its
// flags say otherwise, until ctx ends.
func RunSandbox(ctx context.Context, call cli.Call) int {
	fs, cf := FlagSet(call)
	addr := fs.String("addr", "127.0.0.1:12111", "loopback `address` to listen on (port 0 picks a free port)")
	seed := fs.String("seed", "", "initial data: demo or none (default: config sandbox.seed, else demo)")
	autoPresent := fs.Duration("auto-present", 0, "present a test card by itself this long after a payment starts (0: never)")
	authDelay := fs.Duration("authorization-delay", 0, "keep a presented card authorizing this long (reader busy meanwhile)")
	stateFile := fs.String("state", "", "persist the sandbox's state in this `file` (loaded at start if it exists; every change is appended to it)")
	var retries durationList
	fs.Var(&retries, "webhook-retries", "waits before each retry of a failed webhook delivery, e.g. 1s,5s,30s (the default; \"none\": no retries)")
	disputeDelay := fs.Duration("dispute-delay", 0, "how long after a dispute test card's payment its dispute opens, and test evidence decides it (default 2s)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault: "+sandbox.FaultSyntax+" (repeatable)")
	cfg, code, ok := LoadConfig(fs, cf, call.Args, call)
	if !ok {
		return code
	}
	log, closeLog, err := OpenLog(cfg.LogFile)
	if err != nil {
		fmt.Fprintln(call.Err, call.Prog+": log file:", err)
		return ExitSetup
	}
	defer closeLog()
	opts := sandbox.Options{Seed: cfg.SandboxOptions.Seed, AutoPresent: cfg.SandboxOptions.AutoPresent,
		AuthorizationDelay: *authDelay, Faults: faults, FaultSeed: time.Now().UnixNano(), StateFile: *stateFile,
		Logger: log.With("component", "sandbox")}
	if *seed != "" {
		opts.Seed = *seed
	}
	if *autoPresent > 0 {
		opts.AutoPresent = *autoPresent
	}
	if retries.set {
		opts.WebhookRetries = retries.d
	}
	opts.DisputeDelay = *disputeDelay
	err = sandbox.ListenAndServe(ctx, *addr, opts, func(u string) { fmt.Fprintf(call.Out, "sandbox listening on %s\n", u) })
	if err != nil {
		fmt.Fprintln(call.Err, call.Prog+":", err)
		return ExitSetup
	}
	return 0
}

// faultFlags collects repeated --fault flags (sandbox.ParseFault).
type faultFlags []sandbox.Fault

func (f *faultFlags) String() string { return fmt.Sprintf("%d faults", len(*f)) }

func (f *faultFlags) Set(s string) error {
	ft, err := sandbox.ParseFault(s)
	if err != nil {
		return err
	}
	*f = append(*f, ft)
	return nil
}

// durationList is a comma-separated list of durations ("none" = empty).
type durationList struct {
	d   []time.Duration
	set bool
}

func (l *durationList) String() string { return fmt.Sprint(l.d) }

func (l *durationList) Set(s string) error {
	l.d, l.set = []time.Duration{}, true
	if s == "none" {
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive duration like 5s", part)
		}
		l.d = append(l.d, d)
	}
	return nil
}
