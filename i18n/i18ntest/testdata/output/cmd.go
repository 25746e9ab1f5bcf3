package output

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// errGone is a sentinel: its words come from the catalog where it is
// wrapped.
var errGone = errors.New("reader is gone")

func run(w io.Writer, fs *flag.FlagSet, id string, l loc) error {
	fs.String("reader", "", "the reader to test")
	fs.Bool("json", false, l.T("cli.flag.json"))
	fmt.Fprintln(w, "4 readers at 2 locations")
	fmt.Fprintf(w, "%s: %s\n", id, "online")
	fmt.Fprintf(w, "%s\n", "reader "+id+" is busy")
	io.WriteString(w, "done")
	fmt.Fprintln(os.Stderr, l.T("cli.readers.list_count"))
	fmt.Fprintln(w, "tmr_") // i18n:ok an id prefix
	fmt.Println("ok")
	_ = notWritten()
	if id == "" {
		return errors.New("missing --reader")
	}
	if errors.Is(errGone, errors.New("never shown")) {
		return fmt.Errorf("%w: %s", errGone, fmt.Sprint("try another reader"))
	}
	return nil
}

// notWritten returns text the scanner cannot follow to a sink.
func notWritten() string { return "not seen by ScanOutput" }

// bundle is the English diagnostics bundle. i18n:ok language-neutral by
// design.
func bundle(w io.Writer) { fmt.Fprintln(w, "reader diagnostics") }

type loc struct{}

func (loc) T(id string) string { return id }
