package recipecmd

import (
	"errors"
	"fmt"
)

// Exit codes of the recipe program. They are part of its interface and
// documented in docs/recipe-cli.md.
const (
	// ExitOK means the command did what was asked.
	ExitOK = 0
	// ExitFailure means the command failed: an unknown package, an
	// unsatisfiable or cyclic plan, an I/O error, or an action that is not
	// available yet (a real install).
	ExitFailure = 1
	// ExitUsage means the command line was wrong: an unknown command or
	// flag, or a wrong number of arguments.
	ExitUsage = 2
	// ExitInvalid means recipes given to check or fmt have errors (or, with
	// check --strict, warnings).
	ExitInvalid = 3
)

// exitError carries the exit code a command wants. Commands return it
// (through fail, invalid or usage) so that every error leaving a RunE has
// a deliberate code; any other error comes from cobra's own parsing and
// is a usage error.
type exitError struct {
	code int
	err  error
	// quiet means the message was already printed (diagnostics, a plan's
	// explanation); Run only sets the exit code.
	quiet bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// fail wraps err as a command failure (exit 1).
func fail(err error) error { return &exitError{code: ExitFailure, err: err} }

// usage returns a usage error (exit 2) with a formatted message.
func usage(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// silent returns an error that only sets the exit code: the command has
// already explained itself on stdout or stderr.
func silent(code int, err error) error { return &exitError{code: code, err: err, quiet: true} }

// exitCode maps an error returned by the command tree to an exit code.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return ExitUsage
}
