//go:build unix

package journal

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestClaimSale(t *testing.T) {
	j, _ := openTemp(t)
	release, ok, err := j.ClaimSale("till-1-s1")
	if err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if _, ok, err := j.ClaimSale("till-1-s1"); err != nil || ok {
		t.Fatalf("second claim of a held sale: ok %v, %v", ok, err)
	}
	if r2, ok, err := j.ClaimSale("till-1-s2"); err != nil || !ok {
		t.Fatalf("another sale: %v %v", ok, err)
	} else {
		r2()
	}
	release()
	if _, err := os.Stat(filepath.Join(j.Path()+".claims", "till-1-s1")); !os.IsNotExist(err) {
		t.Fatalf("released claim file still there: %v", err)
	}
	r3, ok, err := j.ClaimSale("till-1-s1")
	if err != nil || !ok {
		t.Fatalf("claim after release: %v %v", ok, err)
	}
	r3()
	if _, _, err := j.ClaimSale("../evil"); err == nil {
		t.Fatal("a sale id that is not a file name was accepted")
	}
}

// A claim held by a process that died (SIGKILL: no release, the file
// stays) is free again: the lock was the kernel's.
func TestClaimOfADeadProcessIsFree(t *testing.T) {
	if path := os.Getenv("KASSE_CLAIM_HELPER"); path != "" { // the child: claim, say so, wait to be killed
		j, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := j.ClaimSale("till-1-dead"); err != nil || !ok {
			t.Fatalf("child claim: %v %v", ok, err)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		return
	}
	j, path := openTemp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestClaimOfADeadProcessIsFree$")
	cmd.Env = append(os.Environ(), "KASSE_CLAIM_HELPER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "held" {
		t.Fatalf("child: %q %v", line, err)
	}
	if _, ok, err := j.ClaimSale("till-1-dead"); err != nil || ok {
		t.Fatalf("a live process's claim was taken: ok %v, %v", ok, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if _, err := os.Stat(filepath.Join(path+".claims", "till-1-dead")); err != nil {
		t.Fatalf("the dead process's claim file: %v", err)
	}
	release, ok, err := j.ClaimSale("till-1-dead")
	if err != nil || !ok {
		t.Fatalf("claim after the holder died: %v %v", ok, err)
	}
	release()
}
