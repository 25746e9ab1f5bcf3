package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/sandbox"
)

// RunSandbox is `kasse sandbox`: the sandbox served alone on a loopback
// address, with the embedded one's settings (config sandbox.*) unless its
// flags say otherwise, until ctx ends.
func RunSandbox(ctx context.Context, call cli.Call) int {
	fs, cf := FlagSet(call)
	loc := call.Locale()
	addr := fs.String("addr", "127.0.0.1:12111", loc.T("cli.app.sandbox.flag.addr"))
	seed := fs.String("seed", "", loc.T("cli.app.sandbox.flag.seed"))
	autoPresent := fs.Duration("auto-present", 0, loc.T("cli.app.sandbox.flag.auto_present"))
	authDelay := fs.Duration("authorization-delay", 0, loc.T("cli.app.sandbox.flag.authorization_delay"))
	stateFile := fs.String("state", "", loc.T("cli.app.sandbox.flag.state"))
	var retries durationList
	fs.Var(&retries, "webhook-retries", loc.T("cli.app.sandbox.flag.webhook_retries"))
	disputeDelay := fs.Duration("dispute-delay", 0, loc.T("cli.app.sandbox.flag.dispute_delay"))
	var faults faultFlags
	fs.Var(&faults, "fault", loc.T("cli.app.sandbox.flag.fault", i18n.Args{"Syntax": sandbox.FaultSyntax}))
	cfg, code, ok := LoadConfig(fs, cf, call.Args, call)
	if !ok {
		return code
	}
	loc = Locale(cfg, os.Getenv)
	log, closeLog, err := OpenLog(cfg.LogFile)
	if err != nil {
		fmt.Fprintln(call.Err, call.Prog+": "+loc.T("cli.app.log_file", i18n.Args{"Error": err}))
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
	err = sandbox.ListenAndServe(ctx, *addr, opts, func(u string) { fmt.Fprintln(call.Out, loc.T("cli.app.sandbox.listening", i18n.Args{"URL": u})) })
	if err != nil {
		fmt.Fprintln(call.Err, call.Prog+": "+loc.Err(err))
		return ExitSetup
	}
	return 0
}

// faultFlags collects repeated --fault flags (sandbox.ParseFault).
type faultFlags []sandbox.Fault

func (f *faultFlags) String() string { return fmt.Sprintf("%d", len(*f)) }

func (f *faultFlags) Set(s string) error {
	ft, err := sandbox.ParseFault(s)
	if err != nil {
		return err
	}
	*f = append(*f, ft)
	return nil
}

// errDurationList: a --webhook-retries value that is not a list of
// positive durations.
var errDurationList = errors.New("not a list of positive durations")

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
			return &i18n.Error{Kind: errDurationList, Msg: i18n.M("cli.app.sandbox.duration_list", i18n.Args{"Value": strconv.Quote(part)})}
		}
		l.d = append(l.d, d)
	}
	return nil
}
