package vmtest

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/levitateos/levitate/internal/run"
)

// Interactive boots c for a person: QEMU's serial console and monitor go to
// the given streams (normally the terminal; c.Interactive is forced on),
// and it returns when QEMU exits. announce, when not nil, is called with
// the QEMU command line before QEMU starts. The OVMF variable store is a
// fresh copy, removed afterwards.
func Interactive(ctx context.Context, c Config, stdin io.Reader, stdout, stderr io.Writer, announce func(cmdline string)) (err error) {
	c.Interactive = true
	if err := c.Validate(); err != nil {
		return fmt.Errorf("vm config: %w", err)
	}
	if err := checkFiles(c); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "vmtest-run-")
	if err != nil {
		return fmt.Errorf("vm directory: %w", err)
	}
	defer os.RemoveAll(dir)
	vars, err := c.PrepareVars(dir)
	if err != nil {
		return err
	}
	argv, err := c.Args(vars)
	if err != nil {
		return err
	}
	if announce != nil {
		announce(run.Quote(argv))
	}
	return run.Interactive(ctx, run.Cmd{Argv: argv, Stdin: stdin, Stdout: stdout, Stderr: stderr})
}

// CommandLine returns c's QEMU command line quoted for humans, with
// OVMF_VARS.fd standing for the per-run copy of the variable store.
func (c Config) CommandLine() (string, error) {
	argv, err := c.Args("OVMF_VARS.fd")
	if err != nil {
		return "", err
	}
	return run.Quote(argv), nil
}
