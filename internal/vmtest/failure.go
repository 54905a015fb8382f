package vmtest

import (
	"slices"
	"strings"
)

// Failure is a console text that means the boot has failed; the harness
// stops at once instead of waiting for a timeout.
type Failure struct {
	// Text is searched for in each cleaned console line.
	Text string
	// Prefix requires the line to start with Text.
	Prefix bool
	// Stages limits the check to these stages; empty means every stage
	// before the shell.
	Stages []Stage
}

// DefaultFailures are the failure texts of firmware, GRUB, the kernel,
// dracut and systemd. Failures are only checked until the shell prompt
// appears: after that, a command's output may legitimately contain them.
func DefaultFailures() []Failure {
	return []Failure{
		{Text: "Kernel panic"},
		{Text: "Entering emergency mode"},
		// "dracut Warning: Could not boot." without systemd,
		// "dracut-initqueue[N]: Warning: Could not boot." with it.
		{Text: "Warning: Could not boot"},
		{Text: "Give root password for maintenance"},
		{Text: "Failed to start"},
		{Text: "Shell>"},
		{Text: "No bootable device"},
		// rd.live.check: checkisomd5's verdict, then dracut's die().
		{Text: "It is not recommended to use this media"},
		{Text: "CD check failed"},
		// systemd gave up on a device, such as the serial port that the
		// serial getty (and so the harness's shell) needs: seen when udev
		// took over 90 s under TCG on a loaded host.
		{Text: "Timed out waiting for device"},
		// OVMF: a Secure Boot rejection, then nothing left to boot.
		{Text: "Access Denied", Stages: []Stage{StageFirmware}},
		{Text: "Security Violation", Stages: []Stage{StageFirmware}},
		{Text: "No bootable option or device"},
		{Text: "Boot failed"},
		// GRUB prints harmless errors too ("error: no suitable video mode
		// found." under OVMF); these two only follow a menu entry that
		// could not boot.
		{Text: "you need to load the kernel first", Stages: []Stage{StageFirmware, StageBootloader}},
		{Text: "Press any key to continue", Stages: []Stage{StageFirmware, StageBootloader}},
	}
}

func (f Failure) match(line string, s Stage) bool {
	if len(f.Stages) > 0 && !slices.Contains(f.Stages, s) {
		return false
	}
	if f.Prefix {
		return strings.HasPrefix(line, f.Text)
	}
	return strings.Contains(line, f.Text)
}

// failure returns the first failure that the cleaned line shows in stage s.
func (d *detector) failure(line string, s Stage) (Failure, bool) {
	if s >= StageShell {
		return Failure{}, false
	}
	for _, f := range d.failures {
		if f.match(line, s) {
			return f, true
		}
	}
	return Failure{}, false
}
