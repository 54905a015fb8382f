package vmtest

import (
	"fmt"
	"time"
)

// Timeouts bound a boot. Each stage has a watchdog: the time the boot may
// spend in that stage before it counts as stalled there. Hard bounds the
// whole boot. A zero field takes its default from DefaultTimeouts.
type Timeouts struct {
	Firmware, Bootloader, Kernel, Initramfs, Userspace time.Duration
	Hard                                               time.Duration
}

// DefaultTimeouts fit a full live ISO under TCG on a slow two-core host,
// where a root shell takes one to three minutes. The bootloader stage
// lasts until the kernel's first line, so it includes loading the kernel
// and initramfs and the kernel's silent decompression (XZ: 25-45 s under
// TCG).
func DefaultTimeouts() Timeouts {
	return Timeouts{
		Firmware:   90 * time.Second,
		Bootloader: 180 * time.Second,
		Kernel:     120 * time.Second,
		Initramfs:  240 * time.Second,
		Userspace:  240 * time.Second,
		Hard:       10 * time.Minute,
	}
}

func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts()
	for _, p := range []struct{ v, def *time.Duration }{
		{&t.Firmware, &d.Firmware}, {&t.Bootloader, &d.Bootloader}, {&t.Kernel, &d.Kernel},
		{&t.Initramfs, &d.Initramfs}, {&t.Userspace, &d.Userspace}, {&t.Hard, &d.Hard},
	} {
		if *p.v <= 0 {
			*p.v = *p.def
		}
	}
	return t
}

func (t Timeouts) stage(s Stage) time.Duration {
	switch s {
	case StageFirmware:
		return t.Firmware
	case StageBootloader:
		return t.Bootloader
	case StageKernel:
		return t.Kernel
	case StageInitramfs:
		return t.Initramfs
	case StageUserspace:
		return t.Userspace
	}
	return t.Hard
}

// overdue reports whether a boot in stage s, entered at enteredAt, has
// stalled or run out of time at elapsed (both measured from the start).
// It returns the reason and the limit that was exceeded.
func (t Timeouts) overdue(s Stage, enteredAt, elapsed time.Duration) (reason string, limit time.Duration, late bool) {
	if s >= StageShell {
		return "", 0, false
	}
	if elapsed >= t.Hard {
		return fmt.Sprintf("hard timeout of %v reached", t.Hard), t.Hard, true
	}
	if w := t.stage(s); elapsed-enteredAt >= w {
		return fmt.Sprintf("stalled: no progress past the %s stage for %v", s, w), w, true
	}
	return "", 0, false
}

// nextCheck is how long to sleep before the next deadline of stage s can
// pass, so the watchdog wakes up neither late nor needlessly often.
func (t Timeouts) nextCheck(s Stage, enteredAt, elapsed time.Duration) time.Duration {
	d := min(t.Hard-elapsed, t.stage(s)-(elapsed-enteredAt))
	return max(d, 10*time.Millisecond)
}
