package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// The test binary re-executes itself as a fake tool when RUN_FAKE is set:
// fakes are for fault injection only (exit codes, stderr, hangs).
func TestMain(m *testing.M) {
	switch os.Getenv("RUN_FAKE") {
	case "":
		os.Exit(m.Run())
	case "fail":
		for i := 1; i <= 30; i++ {
			fmt.Fprintf(os.Stderr, "line %d\n", i)
		}
		os.Exit(3)
	case "echo":
		fmt.Fprint(os.Stdout, strings.Join(os.Args[1:], "|"))
		os.Exit(0)
	case "env":
		fmt.Fprint(os.Stdout, os.Getenv("RUN_VALUE"))
		os.Exit(0)
	case "both":
		done := make(chan bool)
		go func() {
			for i := 0; i < 1000; i++ {
				fmt.Fprintf(os.Stdout, "out %d\n", i)
			}
			done <- true
		}()
		for i := 0; i < 1000; i++ {
			fmt.Fprintf(os.Stderr, "err %d\n", i)
		}
		<-done
		os.Exit(4)
	case "hang":
		time.Sleep(time.Hour)
	}
}

func self(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestOutputPassesArgvVerbatim(t *testing.T) {
	// Shell metacharacters must reach the program untouched: there is no shell.
	args := []string{"a b", "$HOME", "; rm -rf /", "`id`", ""}
	out, err := Output(context.Background(), Cmd{Argv: append([]string{self(t)}, args...), Env: []string{"RUN_FAKE=echo"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), strings.Join(args, "|"); got != want {
		t.Errorf("Output = %q; want %q", got, want)
	}
}

func TestEnvIsAdded(t *testing.T) {
	out, err := Output(context.Background(), Cmd{Argv: []string{self(t)}, Env: []string{"RUN_FAKE=env", "RUN_VALUE=x=y z"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "x=y z" {
		t.Errorf("child saw RUN_VALUE = %q; want %q", out, "x=y z")
	}
}

func TestErrorCarriesArgvExitCodeAndTail(t *testing.T) {
	var stderr bytes.Buffer
	err := Run(context.Background(), Cmd{Argv: []string{self(t), "--flag", "two words"}, Env: []string{"RUN_FAKE=fail"}, Stderr: &stderr})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Run error = %v (%T); want *Error", err, err)
	}
	if e.ExitCode != 3 {
		t.Errorf("ExitCode = %d; want 3", e.ExitCode)
	}
	lines := strings.Split(e.Tail, "\n")
	if len(lines) != TailLines || lines[0] != "line 11" || lines[len(lines)-1] != "line 30" {
		t.Errorf("Tail = %q; want lines 11..30", e.Tail)
	}
	msg := err.Error()
	for _, want := range []string{"--flag 'two words'", "exit code 3", "line 30"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Error() = %q; want it to contain %q", msg, want)
		}
	}
	if !strings.Contains(stderr.String(), "line 1\n") {
		t.Errorf("stderr writer got %q; want the full output", stderr.String())
	}
}

func TestCancelKillsProcess(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Run(ctx, Cmd{Argv: []string{self(t)}, Env: []string{"RUN_FAKE=hang"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run error = %v; want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Run returned after %v; want prompt return after cancel", d)
	}
}

func TestMissingProgram(t *testing.T) {
	err := Run(context.Background(), Cmd{Argv: []string{"levitate-no-such-tool"}})
	if err == nil || !strings.Contains(err.Error(), "levitate-no-such-tool") {
		t.Errorf("Run error = %v; want one naming the program", err)
	}
	if _, err := LookPath("levitate-no-such-tool"); err == nil {
		t.Error("LookPath found a tool that does not exist")
	}
	if err := Run(context.Background(), Cmd{}); err == nil {
		t.Error("Run with empty argv succeeded")
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"ls", "-l"}, "ls -l"},
		{[]string{"echo", "a b"}, "echo 'a b'"},
		{[]string{"echo", "it's"}, `echo 'it'\''s'`},
		{[]string{"x", ""}, "x ''"},
		{[]string{"x", "$(id)"}, "x '$(id)'"},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestBothStreamsConcurrently(t *testing.T) {
	// Stdout and stderr land in one tail buffer from two goroutines; the
	// race detector checks that this is safe.
	err := Run(context.Background(), Cmd{Argv: []string{self(t)}, Env: []string{"RUN_FAKE=both"}})
	var e *Error
	if !errors.As(err, &e) || e.ExitCode != 4 {
		t.Fatalf("Run error = %v; want exit code 4", err)
	}
	lines := strings.Split(e.Tail, "\n")
	if len(lines) != TailLines {
		t.Errorf("Tail has %d lines; want %d", len(lines), TailLines)
	}
	for _, l := range lines {
		var stream string
		var n int
		if _, err := fmt.Sscanf(l, "%s %d", &stream, &n); err != nil || (stream != "out" && stream != "err") {
			t.Errorf("Tail line %q is torn; want whole lines of either stream", l)
		}
	}
}
