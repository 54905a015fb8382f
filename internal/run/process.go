package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	tail  *tail
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
		tail: newTail(TailLines),
		done: make(chan struct{}),
	}
	cmd := command(ctx, c, p.tail)
	if c.Stdin != nil {
		cmd.Stdin = c.Stdin
	} else {
		w, err := cmd.StdinPipe()
		if err != nil {
			return nil, fmt.Errorf("run: stdin pipe for %s: %w", Quote(c.Argv), err)
		}
		p.stdin = w
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
		p.err = processError(ctx, p.argv, p.tail, err)
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
	return processError(ctx, c.Argv, newTail(0), cmd.Run())
}
