package run

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStartConversation(t *testing.T) {
	pr, pw := io.Pipe()
	p, err := Start(t.Context(), Cmd{Argv: []string{"sh", "-c", `while read -r l; do echo "got $l"; done; exit 3`}, Stdout: pw})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	r := bufio.NewReader(pr)
	for _, in := range []string{"one", "two"} {
		if _, err := io.WriteString(p.Stdin(), in+"\n"); err != nil {
			t.Fatalf("write %q: %v", in, err)
		}
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read reply to %q: %v", in, err)
		}
		if want := "got " + in + "\n"; line != want {
			t.Errorf("reply to %q = %q; want %q", in, line, want)
		}
	}
	p.Stdin().Close()
	go io.Copy(io.Discard, pr)
	err = p.Wait()
	var re *Error
	if !errors.As(err, &re) || re.ExitCode != 3 {
		t.Fatalf("Wait() = %v; want *Error with exit code 3", err)
	}
	pw.Close()
}

func TestStartSuccessAndTail(t *testing.T) {
	var out strings.Builder
	p, err := Start(t.Context(), Cmd{Argv: []string{"sh", "-c", "echo out; echo err >&2"}, Stdin: strings.NewReader(""), Stdout: &out})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if p.Stdin() != nil {
		t.Errorf("Stdin() = %v; want nil when Cmd.Stdin is set", p.Stdin())
	}
	if err := p.Wait(); err != nil {
		t.Fatalf("Wait() = %v; want nil", err)
	}
	if out.String() != "out\n" {
		t.Errorf("stdout = %q; want %q", out.String(), "out\n")
	}
}

func TestStartFailureTail(t *testing.T) {
	p, err := Start(t.Context(), Cmd{Argv: []string{"sh", "-c", "echo boom >&2; exit 1"}})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	p.Stdin().Close()
	err = p.Wait()
	var re *Error
	if !errors.As(err, &re) || re.ExitCode != 1 || !strings.Contains(re.Tail, "boom") {
		t.Fatalf("Wait() = %#v; want exit code 1 with tail containing boom", err)
	}
}

func TestProcessKill(t *testing.T) {
	// The child sleep shares the process group and must die with it.
	p, err := Start(t.Context(), Cmd{Argv: []string{"sh", "-c", "sleep 100 & wait"}})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	start := time.Now()
	if err := p.Kill(); err != nil {
		t.Fatalf("Kill() = %v", err)
	}
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("process still running 10s after Kill")
	}
	if err := p.Wait(); err == nil {
		t.Error("Wait() after Kill = nil; want an error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Kill took %v; want well under the WaitDelay", d)
	}
	if err := p.Kill(); err != nil {
		t.Errorf("second Kill() = %v; want nil", err)
	}
}

func TestStartContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	p, err := Start(ctx, Cmd{Argv: []string{"sleep", "100"}})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	cancel()
	err = p.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait() after cancel = %v; want context.Canceled", err)
	}
}

func TestStartErrors(t *testing.T) {
	for _, argv := range [][]string{nil, {"/nonexistent/tool"}} {
		if _, err := Start(t.Context(), Cmd{Argv: argv}); err == nil {
			t.Errorf("Start(%q) = nil error; want an error", argv)
		}
	}
}

func TestInteractive(t *testing.T) {
	var out strings.Builder
	// The child must share our process group to own the terminal.
	err := Interactive(t.Context(), Cmd{Argv: []string{"sh", "-c", `cut -d' ' -f5 /proc/$$/stat; read -r l; echo "in=$l"`}, Stdin: strings.NewReader("typed\n"), Stdout: &out})
	if err != nil {
		t.Fatalf("Interactive: %v", err)
	}
	want := strconv.Itoa(syscall.Getpgrp()) + "\nin=typed\n"
	if out.String() != want {
		t.Errorf("Interactive output = %q; want %q (same process group)", out.String(), want)
	}
	err = Interactive(t.Context(), Cmd{Argv: []string{"sh", "-c", "exit 4"}})
	var re *Error
	if !errors.As(err, &re) || re.ExitCode != 4 {
		t.Errorf("Interactive(exit 4) = %v; want *Error with exit code 4", err)
	}
	if err := Interactive(t.Context(), Cmd{}); err == nil {
		t.Error("Interactive(empty argv) = nil; want an error")
	}
}
