package sandbox

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// crashChildEnv makes the test binary run crashChild instead of the tests.
const crashChildEnv = "KASSE_SANDBOX_CRASH_CHILD"

// crashChild serves sales on a sandbox with the state file at path, as
// fast as it can, printing each answered intent's id, until it is killed.
func crashChild(path string) {
	s, err := New(Options{Seed: "demo", StateFile: path})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	var seller, rd string
	s.mu.Lock()
	for a := range s.st.accounts.All() {
		if str(a.BusinessProfile.Name) == "Lumen Coffee Roasters" {
			seller = a.ID
		}
	}
	for r := range s.st.readers.All() {
		if r.Account == "" {
			rd = r.ID
		}
	}
	s.mu.Unlock()
	d := newDriver(crashTB{}, s)
	for i := 0; ; i++ {
		key := fmt.Sprintf("crash-%d-%d", os.Getpid(), i)
		id := idOf(d.do("POST", "/v1/payment_intents", fmt.Sprintf(benchSale, key), seller, key))
		d.do("POST", "/v1/terminal/readers/"+rd+"/process_payment_intent", "payment_intent="+id, "", key+"-p")
		d.do("POST", "/v1/test_helpers/terminal/readers/"+rd+"/present_payment_method", "", "", "")
		fmt.Println(seller, id) // answered: the sale has succeeded
	}
}

// crashTB is the testing.TB of the child: a failure ends it.
type crashTB struct{ testing.TB }

func (crashTB) Fatal(args ...any)                 { fmt.Println(args...); os.Exit(3) }
func (crashTB) Fatalf(format string, args ...any) { fmt.Printf(format+"\n", args...); os.Exit(3) }

// A sandbox killed with SIGKILL while it writes loses at most the request
// in flight, never the file: every sale it answered loads again, paid.
// The child runs the real code in its own process; it is killed at a
// different moment each round (after so many answered sales, while it
// writes the next ones).
func TestStateFileSurvivesSIGKILL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	var answered []string
	seller := ""
	for round, after := range []int{120, 333, 57} { // answered sales before the kill
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		n := 0
		for l := range lines { // until the child is gone
			f := strings.Fields(l)
			if len(f) != 2 || !strings.HasPrefix(f[1], "pi_") {
				t.Fatalf("child: %s", l)
			}
			seller = f[0]
			answered = append(answered, f[1])
			if n++; n == after { // the child is writing the next sale by now
				_ = cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		_ = cmd.Wait()
		if n == 0 {
			t.Fatalf("round %d: the child answered no sale", round)
		}
		if n < after {
			t.Fatalf("round %d: the child stopped by itself after %d sales", round, n)
		}
		t.Logf("round %d: killed after %d sales", round, n)
	}
	// Every answered sale is there, succeeded; the file loads (its torn
	// tail, if any, cut off).
	s, err := New(Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := newDriver(t, s)
	for _, id := range answered {
		if body := d.do(http.MethodGet, "/v1/payment_intents/"+id, "", seller, ""); !strings.Contains(string(body), `"status":"succeeded"`) {
			t.Fatalf("answered sale %s after the kills: %s", id, body)
		}
	}
	s.mu.Lock()
	stored := s.st.intents.Len()
	s.mu.Unlock()
	if stored < len(answered) || stored > len(answered)+3 { // at most the one in flight per kill
		t.Errorf("%d intents stored, %d answered", stored, len(answered))
	}
}
