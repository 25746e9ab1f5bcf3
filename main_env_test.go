package main

import (
	"os"
	"testing"
)

// TestMain runs the command tests in English whatever the machine's
// locale: the language of a command comes from LC_ALL, LC_MESSAGES and
// LANG when the configuration names none. Tests of the German output set
// LANG themselves (t.Setenv).
func TestMain(m *testing.M) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		os.Unsetenv(v)
	}
	os.Setenv("LANG", "C.UTF-8")
	os.Exit(m.Run())
}
