package term

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair (Linux: /dev/ptmx).
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal on this machine: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var unlock int32
	if err := ioctl(master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); err != nil {
		t.Fatal("unlockpt:", err)
	}
	var n uint32
	if err := ioctl(master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); err != nil {
		t.Fatal("ptsname:", err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

func ioctl(fd, req, arg uintptr) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, req, arg); e != 0 {
		return e
	}
	return nil
}

func echoOn(t *testing.T, f *os.File) bool {
	t.Helper()
	var tio syscall.Termios
	if err := ioctl(f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&tio))); err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&syscall.ECHO != 0
}

// At a terminal a PIN is read with echo off: the line reaches the reader,
// the terminal shows only the newline PINInput writes, and echo is back on
// afterwards.
func TestPINInputAtATerminalDoesNotEcho(t *testing.T) {
	master, tty := openPTY(t)
	if !echoOn(t, tty) {
		t.Fatal("a fresh terminal has echo off")
	}
	var prompt bytes.Buffer
	r := PINInput(tty, &prompt)
	if _, ok := r.(*noEcho); !ok {
		t.Fatalf("a terminal was not read with echo off: %T", r)
	}
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- line
	}()
	// Type only once echo is off, as a person at the prompt would.
	for deadline := time.Now().Add(10 * time.Second); echoOn(t, tty); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("echo was never turned off")
		}
	}
	if _, err := master.WriteString("2718\n"); err != nil {
		t.Fatal(err)
	}
	if line := <-got; line != "2718\n" {
		t.Errorf("read %q, want the PIN line", line)
	}
	if prompt.String() != "\n" {
		t.Errorf("prompt got %q, want the newline the terminal did not echo", prompt.String())
	}
	if !echoOn(t, tty) {
		t.Error("echo was left off")
	}
	// Whatever the terminal echoed is readable on the master side: mark the
	// end with a character typed now that echo is on again.
	if _, err := master.WriteString("#"); err != nil {
		t.Fatal(err)
	}
	shown := readUntil(t, master, '#')
	if bytes.Contains(shown, []byte("2718")) {
		t.Errorf("the terminal showed the PIN: %q", shown)
	}
}

func readUntil(t *testing.T, f *os.File, end byte) []byte {
	t.Helper()
	var out []byte
	buf := make([]byte, 64)
	for !bytes.ContainsRune(out, rune(end)) {
		n, err := f.Read(buf)
		if err != nil {
			t.Fatalf("reading the terminal: %v (so far %q)", err, out)
		}
		out = append(out, buf[:n]...)
	}
	return out
}
