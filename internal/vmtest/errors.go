package vmtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/run"
)

// BootError is a boot that did not reach the shell. It names the stage the
// boot was in, why it stopped, and where the console log and the booted
// image are, so the failure can be inspected after the fact.
type BootError struct {
	// Stage is the last stage the console proved.
	Stage Stage
	// Reason says what ended the boot: a failure text, a stall, the hard
	// timeout, QEMU exiting, or cancellation.
	Reason string
	// Line is the console line that matched a failure text, if any.
	Line string
	// Elapsed is the time from QEMU's start to the failure.
	Elapsed time.Duration
	// ConsoleLog is the path of the kept console log.
	ConsoleLog string
	// Image is the ISO (or first disk) that was booted.
	Image string
	// Argv is the QEMU command line.
	Argv []string
	// Tail holds the last console lines.
	Tail []string
	// Err is the underlying error (QEMU's exit, the context's error).
	Err error
}

func (e *BootError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "boot failed in the %s stage after %v: %s", e.Stage, e.Elapsed.Round(100*time.Millisecond), e.Reason)
	if e.Line != "" {
		fmt.Fprintf(&b, ": %q", e.Line)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	fmt.Fprintf(&b, "\nimage: %s\nconsole log: %s\nqemu: %s", e.Image, e.ConsoleLog, run.Quote(e.Argv))
	if len(e.Tail) > 0 {
		b.WriteString("\n--- last console lines ---\n")
		b.WriteString(strings.Join(e.Tail, "\n"))
	}
	return b.String()
}

func (e *BootError) Unwrap() error { return e.Err }
