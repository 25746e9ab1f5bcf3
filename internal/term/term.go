// Package term reads secrets typed at a terminal: a PIN typed for `kasse
// refund`, `kasse pin set` or `kasse readers` never shows on screen.
package term

import (
	"fmt"
	"io"
	"os"

	xterm "github.com/charmbracelet/x/term"
)

// PINInput returns a reader of PIN lines from stdin. When stdin is a
// terminal, each line is read with echo off, and the Enter the terminal did
// not echo is written to prompt (where the question was asked); from a pipe
// or a file stdin is returned as is.
func PINInput(stdin io.Reader, prompt io.Writer) io.Reader {
	f, ok := stdin.(*os.File)
	if !ok || !xterm.IsTerminal(f.Fd()) {
		return stdin
	}
	return &noEcho{fd: f.Fd(), prompt: prompt}
}

// noEcho reads a terminal one line at a time with echo off.
type noEcho struct {
	fd     uintptr
	prompt io.Writer
	buf    []byte
}

func (r *noEcho) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		line, err := xterm.ReadPassword(r.fd)
		fmt.Fprintln(r.prompt) // the Enter the terminal did not echo
		if err != nil {
			return 0, err
		}
		r.buf = append(line, '\n')
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
