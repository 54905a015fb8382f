// Package run is the one place in the project that executes external tools.
//
// Every command is an argv, never a shell string. A failure is returned as an
// *Error that carries the argv, the exit code and the last lines of the
// command's output, so that a user sees what failed and why without digging
// through logs. Output can be teed to a log file for each build stage.
package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// TailLines is how many trailing lines of output an Error keeps.
const TailLines = 20

// Cmd describes one command to execute.
type Cmd struct {
	// Argv is the program and its arguments; Argv[0] is looked up in PATH.
	Argv []string
	// Dir is the working directory; empty means the current one.
	Dir string
	// Env, when non-nil, is added to the current environment (later wins).
	Env []string
	// Stdin is the command's standard input; nil means none.
	Stdin io.Reader
	// Stdout and Stderr receive the command's output in addition to the
	// tail kept for errors; nil discards it (the tail is still kept).
	Stdout, Stderr io.Writer
	// WaitDelay bounds how long to wait for output after the context is
	// cancelled and the process group has been killed. Zero means 5s.
	WaitDelay time.Duration
}

// Error is a failed command.
type Error struct {
	Argv     []string
	ExitCode int    // -1 when the command did not exit normally
	Tail     string // last lines of combined output
	Err      error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v", Quote(e.Argv), e.Err)
	if e.ExitCode >= 0 {
		fmt.Fprintf(&b, " (exit code %d)", e.ExitCode)
	}
	if t := strings.TrimSpace(e.Tail); t != "" {
		b.WriteString("\n--- last output lines ---\n")
		b.WriteString(t)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Run executes c and waits for it. The command runs in its own process
// group; when ctx is cancelled the whole group is killed.
func Run(ctx context.Context, c Cmd) error {
	if len(c.Argv) == 0 {
		return errors.New("run: empty argv")
	}
	t := newTail(TailLines)
	cmd := command(ctx, c, t)
	cmd.Stdin = c.Stdin
	return processError(ctx, c.Argv, t, cmd.Run())
}

// command prepares c: its own process group killed on cancellation, the
// environment added to ours, and both output streams teed into t.
func command(ctx context.Context, c Cmd, t *tail) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	if c.Env != nil {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdout = tee(c.Stdout, t.stream())
	cmd.Stderr = tee(c.Stderr, t.stream())
	// Pdeathsig: a child must not outlive a caller that dies without
	// cleaning up (a test binary killed by its timeout).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = c.WaitDelay
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = 5 * time.Second
	}
	return cmd
}

// processError turns the result of running or waiting for a command into
// an *Error carrying the argv, the exit code and the output tail.
func processError(ctx context.Context, argv []string, t *tail, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Argv: append([]string(nil), argv...), ExitCode: -1, Tail: t.String(), Err: err}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.Exited() {
		e.ExitCode = ee.ExitCode()
		e.Err = errors.New("command failed")
	}
	if ctx.Err() != nil {
		e.Err = fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return e
}

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// Output runs c and returns its standard output. c.Stdout is ignored.
func Output(ctx context.Context, c Cmd) ([]byte, error) {
	var out bytes.Buffer
	c.Stdout = &out
	err := Run(ctx, c)
	return out.Bytes(), err
}

// LookPath reports whether a tool is on PATH, returning its full path.
func LookPath(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("tool %q not found in PATH: %w", name, err)
	}
	return p, nil
}

// Quote renders argv for humans: arguments with spaces or shell
// metacharacters are single-quoted. It is for messages only, never for
// execution.
func Quote(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`;&|<>(){}*?[]#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}

func tee(w, tail io.Writer) io.Writer {
	if w == nil {
		return tail
	}
	return io.MultiWriter(w, tail)
}

// tail keeps the last max complete lines written to any of its streams.
// Each stream assembles its own lines, so output of stdout and stderr,
// copied by two goroutines, is never torn into mixed lines.
type tail struct {
	mu      sync.Mutex
	max     int
	lines   []string
	streams []*tailStream
}

type tailStream struct {
	t    *tail
	part []byte
}

func newTail(max int) *tail { return &tail{max: max} }

// stream returns a new writer feeding t.
func (t *tail) stream() io.Writer {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &tailStream{t: t}
	t.streams = append(t.streams, s)
	return s
}

func (s *tailStream) Write(p []byte) (int, error) {
	t := s.t
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.part = append(s.part, p...)
			if len(s.part) > 4096 {
				s.part = s.part[len(s.part)-4096:]
			}
			break
		}
		s.part = append(s.part, p[:i]...)
		t.addLocked(string(s.part))
		s.part = s.part[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (t *tail) addLocked(line string) {
	t.lines = append(t.lines, line)
	if len(t.lines) > 2*t.max {
		t.lines = append(t.lines[:0], t.lines[len(t.lines)-t.max:]...)
	}
}

// String returns the kept lines, followed by any unterminated last line of
// each stream.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := append([]string(nil), t.lines...)
	for _, s := range t.streams {
		if len(s.part) > 0 {
			lines = append(lines, string(s.part))
		}
	}
	if len(lines) > t.max {
		lines = lines[len(lines)-t.max:]
	}
	return strings.Join(lines, "\n")
}
