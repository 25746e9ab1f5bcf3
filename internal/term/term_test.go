package term

import (
	"bytes"
	"strings"
	"testing"
)

// From a pipe or a buffer the PIN lines are read as they are.
func TestPINInputFromAPipeIsUnchanged(t *testing.T) {
	in := strings.NewReader("2718\n")
	var prompt bytes.Buffer
	if r := PINInput(in, &prompt); r != in {
		t.Errorf("a reader that is not a terminal was wrapped: %T", r)
	}
	if prompt.Len() != 0 {
		t.Errorf("wrote %q", prompt.String())
	}
}
