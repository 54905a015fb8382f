package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// app is what a command needs from the process: its streams. Commands
// receive it explicitly; there is no package state.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError is a wrong command line; it exits with exitUsage.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// run executes levitateiso with args (without the program name) and returns
// the exit code. It never calls os.Exit, so tests drive it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "levitateiso: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "run 'levitateiso -h' or 'levitateiso COMMAND -h' for usage")
		return exitUsage
	}
	return exitFailure
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "levitateiso",
		Short: "Build LevitateOS live ISOs and boot them in QEMU",
		Long: `levitateiso builds LevitateOS live ISOs from a profile and vendor packages,
and boots them in QEMU on SeaBIOS or OVMF.

Exit codes: 0 ok, 1 failure, 2 usage error.`,
		Version:           buildVersion(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	// One line per subcommand; each lives in its own file.
	root.AddCommand(
		newRunCmd(a),
		newBuildCmd(a),
		newCheckCmd(a),
		newListCmd(a),
	)
	return root
}

// buildVersion reports the module version stamped by the Go toolchain, the
// VCS revision of a work-tree build, or "devel".
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}
