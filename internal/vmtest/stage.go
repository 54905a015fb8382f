package vmtest

import (
	"strconv"
	"strings"
)

// Stage is how far a boot has come, as recognised on the serial console.
// Stages only move forward.
type Stage int

const (
	// StageFirmware is the start: SeaBIOS or OVMF, before any bootloader
	// output.
	StageFirmware Stage = iota
	// StageBootloader begins with GRUB's (or ISOLINUX's) first output.
	StageBootloader
	// StageKernel begins with the kernel's "Linux version" banner (or the
	// EFI stub's first line).
	StageKernel
	// StageInitramfs begins when the kernel runs /init from the initramfs.
	StageInitramfs
	// StageUserspace begins with the real root's init: systemd's "Welcome
	// to" banner after the switch root.
	StageUserspace
	// StageShell is reached when the shell prompt appears: the boot is done.
	StageShell
)

func (s Stage) String() string {
	switch s {
	case StageFirmware:
		return "firmware"
	case StageBootloader:
		return "bootloader"
	case StageKernel:
		return "kernel"
	case StageInitramfs:
		return "initramfs"
	case StageUserspace:
		return "userspace"
	case StageShell:
		return "shell"
	}
	return "stage(" + strconv.Itoa(int(s)) + ")"
}

// Stages lists every stage in boot order.
func Stages() []Stage {
	return []Stage{StageFirmware, StageBootloader, StageKernel, StageInitramfs, StageUserspace, StageShell}
}

// marker is a console text that proves a stage has been reached.
type marker struct {
	stage Stage
	text  string
}

// stageMarkers are checked in order; the first hit wins. GRUB's and the
// initramfs's markers come before the userspace "Welcome to " because GRUB
// prints "Welcome to GRUB!" and systemd in a dracut initramfs prints
// "Welcome to ... (Initramfs)!".
func stageMarkers() []marker {
	return []marker{
		{StageBootloader, "Welcome to GRUB"},
		{StageInitramfs, "(Initramfs)"},
		{StageInitramfs, "Running in initrd"},
		{StageInitramfs, "Run /init as init process"},
		{StageInitramfs, "dracut-"},
		{StageUserspace, "Welcome to "},
		{StageUserspace, "Run /sbin/init as init process"},
		{StageUserspace, " login: "},
		{StageKernel, "Linux version "},
		{StageKernel, "EFI stub: "},
		{StageKernel, "Decompressing Linux"},
		{StageBootloader, "GNU GRUB"},
		{StageBootloader, "Booting `"},
		{StageBootloader, "grub>"},
		{StageBootloader, "ISOLINUX"},
		{StageBootloader, "SYSLINUX"},
	}
}

// detector recognises stages and failures in cleaned console lines.
type detector struct {
	ready    string // the shell prompt
	markers  []marker
	failures []Failure
}

func newDetector(ready string, failures []Failure) *detector {
	return &detector{ready: ready, markers: stageMarkers(), failures: failures}
}

// classify returns the stage that a cleaned console line proves, or cur
// when it proves nothing new.
func (d *detector) classify(line string, cur Stage) Stage {
	if d.isReady(line) {
		return StageShell
	}
	// GRUB's errors are its only output when it fails before drawing a
	// menu (a missing kernel with timeout=0).
	if cur <= StageBootloader && strings.HasPrefix(line, "error: ") {
		return StageBootloader
	}
	for _, m := range d.markers {
		if strings.Contains(line, m.text) {
			return max(cur, m.stage)
		}
	}
	return cur
}

// cleanLine strips terminal escape sequences, carriage returns and other
// control characters, so markers match whatever cursor dance GRUB or a
// line editor wrapped around the text.
func cleanLine(b []byte) string {
	var s strings.Builder
	s.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == 0x1b:
			i = skipEscape(b, i)
		case c == '\t':
			s.WriteByte(' ')
		case c < 0x20 || c == 0x7f:
			// drop \r, bells, backspaces and the like
		default:
			s.WriteByte(c)
		}
	}
	return s.String()
}

// skipEscape returns the index of the last byte of the escape sequence
// that starts at b[i] (an ESC).
func skipEscape(b []byte, i int) int {
	if i+1 >= len(b) {
		return i
	}
	switch b[i+1] {
	case '[': // CSI: parameters and intermediates, then a final byte 0x40-0x7e
		j := i + 2
		for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
			j++
		}
		return min(j, len(b)-1)
	case '(', ')', '*', '+': // character set designation: one more byte
		return min(i+2, len(b)-1)
	default: // two-byte sequence
		return i + 1
	}
}

func (d *detector) isReady(line string) bool {
	return d.ready != "" && strings.Contains(line, d.ready)
}
