package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Process is a long-running command started by Start: a virtual machine, a
// server, anything a caller talks to while it runs. Like Run, it lives in
// its own process group, and the group is killed when the context given to
// Start is done or Kill is called.
type Process struct {
	argv  []string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	tail  *tailBuffer
	done  chan struct{}
	err   error // set before done is closed
}

// Start starts c without waiting for it. When c.Stdin is nil, the process
// reads its standard input from a pipe whose write end Stdin returns, so
// the caller can type into it; closing that end gives the process EOF.
// c.Stdout and c.Stderr receive the output as it comes; they are written
// from other goroutines and must be safe for that.
func Start(ctx context.Context, c Cmd) (*Process, error) {
	if len(c.Argv) == 0 {
		return nil, errors.New("run: empty argv")
	}
	p := &Process{
		argv: append([]string(nil), c.Argv...),
		tail: &tailBuffer{max: TailLines},
		done: make(chan struct{}),
	}
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	if c.Env != nil {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	// tailBuffer is not safe for concurrent writes, and stdout and stderr
	// are copied by separate goroutines: serialise them.
	tail := &lockedWriter{w: p.tail}
	cmd.Stdout = teeLocked(c.Stdout, tail)
	cmd.Stderr = teeLocked(c.Stderr, tail)
	if c.Stdin != nil {
		cmd.Stdin = c.Stdin
	} else {
		w, err := cmd.StdinPipe()
		if err != nil {
			return nil, fmt.Errorf("run: stdin pipe for %s: %w", Quote(c.Argv), err)
		}
		p.stdin = w
	}
	// Pdeathsig: a long-running child must not outlive a caller that dies
	// without cleaning up (a test binary killed by its timeout).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = c.WaitDelay
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = 5 * time.Second
	}
	if err := cmd.Start(); err != nil {
		return nil, &Error{Argv: p.argv, ExitCode: -1, Err: err}
	}
	p.cmd = cmd
	go func() {
		err := cmd.Wait()
		if p.stdin != nil {
			p.stdin.Close()
		}
		tail.mu.Lock()
		p.err = processError(ctx, p.argv, p.tail.String(), err)
		tail.mu.Unlock()
		close(p.done)
	}()
	return p, nil
}

// Stdin returns the write end of the process's standard input, or nil when
// Cmd.Stdin was set.
func (p *Process) Stdin() io.WriteCloser { return p.stdin }

// Pid returns the process id, which is also its process group id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited and its output is copied.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait waits for the process to exit. The error is nil or an *Error, as
// for Run; a process ended by Kill reports its signal.
func (p *Process) Wait() error {
	<-p.done
	return p.err
}

// Kill kills the process group with SIGKILL. Killing a process that has
// already exited is not an error.
func (p *Process) Kill() error {
	select {
	case <-p.done:
		return nil
	default:
	}
	if err := killGroup(p.cmd); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("run: kill %s (pid %d): %w", Quote(p.argv[:1]), p.cmd.Process.Pid, err)
	}
	return nil
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func teeLocked(w io.Writer, tail *lockedWriter) io.Writer {
	if w == nil {
		return tail
	}
	return io.MultiWriter(w, tail)
}

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// processError turns the result of Wait into the same *Error that Run
// returns.
func processError(ctx context.Context, argv []string, tail string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Argv: argv, ExitCode: -1, Tail: tail, Err: err}
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

// Interactive runs c attached to the caller's terminal and waits for it:
// unlike Run and Start, the command stays in the caller's process group,
// so it may read the terminal and change its modes (a process in another
// group would be stopped by SIGTTIN), and the standard streams are passed
// through untouched, so an *os.File stays a terminal for the command. The
// error carries no output tail. Cancelling ctx kills the command itself.
func Interactive(ctx context.Context, c Cmd) error {
	if len(c.Argv) == 0 {
		return errors.New("run: empty argv")
	}
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	if c.Env != nil {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, c.Stderr
	cmd.WaitDelay = c.WaitDelay
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = 5 * time.Second
	}
	return processError(ctx, append([]string(nil), c.Argv...), "", cmd.Run())
}
