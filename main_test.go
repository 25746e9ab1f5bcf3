package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

func TestRunUsageAndUnknownCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "  sandbox ") {
		t.Errorf("help: code %d, out %q", code, out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"frobnicate"}, nil, &out, &errb); code != 64 || !strings.Contains(errb.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: code %d, stderr %q", code, errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"config", "example"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "capture_method") {
		t.Errorf("config example: code %d", code)
	}
}

// A configuration error names the key and the file, and exits with
// EX_CONFIG before anything starts.
func TestRunConfigErrorNamesKeyAndFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("STRIPE_API_KEY", "")
	path := dir + "/bad.toml"
	if err := writeFile(path, "capture_method = \"later\"\n"); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"sandbox", "--config", path, "--addr", "127.0.0.1:0"}, nil, &out, &errb)
	if code != 78 || !strings.Contains(errb.String(), path) || !strings.Contains(errb.String(), "capture_method") {
		t.Errorf("code %d, stderr %q", code, errb.String())
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }

// A config file that holds the API key and is readable by others is named
// on stderr with the fix; the key itself never appears.
func TestRunWarnsAboutAReadableKeyFile(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		t.Setenv(v, dir)
	}
	t.Setenv("STRIPE_API_KEY", "")
	const key = "sk_test_KasseWarnTest0000"
	path := dir + "/kasse.toml"
	if err := writeFile(path, "api_key = \""+key+"\"\n"); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the sandbox stops at once; the warning comes first
	var out, errb bytes.Buffer
	run(ctx, []string{"sandbox", "--config", path, "--addr", "127.0.0.1:0"}, nil, &out, &errb)
	if s := errb.String(); !strings.Contains(s, "kasse: warning: "+path+" holds api_key") ||
		!strings.Contains(s, "chmod 600 "+path) || strings.Contains(s+out.String(), key) {
		t.Errorf("stderr %q", s)
	}
}
