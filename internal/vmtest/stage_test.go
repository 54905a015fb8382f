package vmtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	d := newDetector("vmtest-42# ", DefaultFailures())
	for _, tc := range []struct {
		line string
		cur  Stage
		want Stage
	}{
		{"BdsDxe: loading Boot0001", StageFirmware, StageFirmware},
		{"Welcome to GRUB!", StageFirmware, StageBootloader},
		{"                             GNU GRUB  version 2.06", StageFirmware, StageBootloader},
		{"  Booting `vmtest'", StageFirmware, StageBootloader},
		{"error: file `/boot/vmlinuz' not found.", StageFirmware, StageBootloader},
		{"error: something", StageKernel, StageKernel},
		{"EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path", StageBootloader, StageKernel},
		{"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)", StageBootloader, StageKernel},
		{"[    3.347259] Run /init as init process", StageKernel, StageInitramfs},
		{"Welcome to Debian GNU/Linux 12 (bookworm) dracut-059-4 (Initramfs)!", StageKernel, StageInitramfs},
		{"[    2.4] systemd[1]: Running in initrd.", StageKernel, StageInitramfs},
		{"Welcome to LevitateOS 1.0!", StageInitramfs, StageUserspace},
		{"[    1.2] Run /sbin/init as init process", StageKernel, StageUserspace},
		{"levitate login: root (automatic login)", StageUserspace, StageUserspace},
		{"vmtest-42# ", StageInitramfs, StageShell},
		{"echo PS1='vmtest-$((6*7))# '", StageInitramfs, StageInitramfs},
		// Stages never go back.
		{"[    0.1] Linux version 6.1", StageUserspace, StageUserspace},
		{"Starting dracut-shutdown.service", StageUserspace, StageUserspace},
	} {
		if got := d.classify(tc.line, tc.cur); got != tc.want {
			t.Errorf("classify(%q, %v) = %v; want %v", tc.line, tc.cur, got, tc.want)
		}
	}
}

func TestFailureMatch(t *testing.T) {
	d := newDetector("# ", DefaultFailures())
	for _, tc := range []struct {
		line  string
		stage Stage
		want  string // "" for no failure
	}{
		{"[    3.5] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100", StageInitramfs, "Kernel panic"},
		{"Entering emergency mode. Exit the shell to continue.", StageInitramfs, "Entering emergency mode"},
		{"[  184.2] dracut Warning: Could not boot.", StageInitramfs, "Warning: Could not boot"},
		{"Give root password for maintenance", StageUserspace, "Give root password for maintenance"},
		{"[FAILED] Failed to start getty@tty1.service - Getty on tty1.", StageUserspace, "Failed to start"},
		{"Shell> ", StageFirmware, "Shell>"},
		{"The media check is complete, the result is: FAIL.", StageInitramfs, ""},
		{"It is not recommended to use this media.", StageInitramfs, "It is not recommended to use this media"},
		{"[  105.1] dracut: FATAL: CD check failed!", StageInitramfs, "CD check failed"},
		{"The media check is complete, the result is: PASS.", StageInitramfs, ""},
		{"[ TIME ] Timed out waiting for device dev-ttyS0.device - /dev/ttyS0.", StageUserspace, "Timed out waiting for device"},
		{"No bootable device.", StageFirmware, "No bootable device"},
		{"BdsDxe: No bootable option or device was found.", StageFirmware, "No bootable option or device"},
		{`BdsDxe: failed to load Boot0001 "UEFI QEMU DVD-ROM QM00011 " from PciRoot(0x0): Access Denied`, StageFirmware, "Access Denied"},
		{"Boot failed: could not read the boot disk", StageFirmware, "Boot failed"},
		{"error: you need to load the kernel first.", StageBootloader, "you need to load the kernel first"},
		{"Press any key to continue...", StageBootloader, "Press any key to continue"},
		{"error: no suitable video mode found.", StageBootloader, ""},
		{"[  OK  ] Failed to mount sysroot.mount", StageInitramfs, ""},
		// The GRUB failures only count in GRUB's stages.
		{"Press any key to continue", StageUserspace, ""},
		// After the prompt, output is the user's business.
		{"Kernel panic", StageShell, ""},
	} {
		f, ok := d.failure(tc.line, tc.stage)
		if got := map[bool]string{true: f.Text}[ok]; got != tc.want {
			t.Errorf("failure(%q, %v) = %q; want %q", tc.line, tc.stage, got, tc.want)
		}
	}
}

func TestCleanLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[0m\x1b[30m\x1b[47mWelcome to GRUB!\r", "Welcome to GRUB!"},
		{"vmtest-42# \x1b[6n", "vmtest-42# "},
		{"\x1b(Bplain\x1b=x\ttab\x07", "plainx tab"},
		{"trailing escape \x1b", "trailing escape "},
		{"cut CSI \x1b[12", "cut CSI "},
	} {
		if got := cleanLine([]byte(tc.in)); got != tc.want {
			t.Errorf("cleanLine(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestConsoleRecorded feeds recorded and composed console logs through a
// Console, in small chunks as a serial line delivers them.
func TestConsoleRecorded(t *testing.T) {
	for _, tc := range []struct {
		file    string
		ready   string
		stages  []Stage
		failure string
		failAt  Stage
	}{
		{"bios-cdrom-busybox.log", "vmtest-42# ", []Stage{StageFirmware, StageBootloader, StageKernel, StageInitramfs, StageShell}, "", 0},
		{"uefi-grub-harmless-error.log", "[root@levitate ~]# ", []Stage{StageFirmware, StageBootloader, StageKernel, StageInitramfs, StageUserspace, StageShell}, "", 0},
		{"dracut-emergency.log", "# ", []Stage{StageFirmware, StageBootloader, StageKernel, StageInitramfs}, "Warning: Could not boot", StageInitramfs},
		{"uefi-shell.log", "# ", []Stage{StageFirmware}, "Shell>", StageFirmware},
		{"secureboot-unsigned-grub.log", "# ", []Stage{StageFirmware}, "Access Denied", StageFirmware},
		{"userspace-failed-unit.log", "# ", []Stage{StageFirmware, StageBootloader, StageKernel, StageInitramfs, StageUserspace}, "Failed to start", StageUserspace},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "console", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var tee strings.Builder
			c := NewConsole(tc.ready, DefaultFailures(), &tee)
			for chunk := range slicesChunk(data, 7) {
				if n, err := c.Write(chunk); n != len(chunk) || err != nil {
					t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(chunk))
				}
			}
			var got []Stage
			for _, e := range c.Events() {
				got = append(got, e.Stage)
			}
			if !equalStages(got, tc.stages) {
				t.Errorf("stages = %v; want %v", got, tc.stages)
			}
			f := c.Failure()
			switch {
			case tc.failure == "" && f != nil:
				t.Errorf("failure = %+v; want none", f)
			case tc.failure != "" && (f == nil || f.Failure.Text != tc.failure || f.Stage != tc.failAt):
				t.Errorf("failure = %+v; want %q in stage %v", f, tc.failure, tc.failAt)
			}
			if tee.String() != string(data) || c.String() != string(data) || c.Len() != len(data) {
				t.Errorf("console kept %d bytes, tee %d; want all %d", c.Len(), tee.Len(), len(data))
			}
		})
	}
}

func slicesChunk(b []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			k := min(n, len(b))
			if !yield(b[:k]) {
				return
			}
			b = b[k:]
		}
	}
}

func equalStages(a, b []Stage) bool {
	return strings.Join(stageStrings(a), ",") == strings.Join(stageStrings(b), ",")
}

func stageStrings(ss []Stage) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.String())
	}
	return out
}

func TestConsoleTailAndTiming(t *testing.T) {
	now := time.Unix(1000, 0)
	c := NewConsole("$ ", nil, nil)
	c.start, c.now = now, func() time.Time { return now }
	c.Write([]byte("one\r\n\r\n\x1b[1mtwo\x1b[0m\r\n"))
	now = now.Add(3 * time.Second)
	c.Write([]byte("[ 0.0] Linux version 6\r\nthree"))
	if got, want := strings.Join(c.Tail(3), "|"), "two|[ 0.0] Linux version 6|three"; got != want {
		t.Errorf("Tail(3) = %q; want %q", got, want)
	}
	ev := c.Events()
	if len(ev) != 2 || ev[1].Stage != StageKernel || ev[1].At != 3*time.Second {
		t.Errorf("Events() = %+v; want kernel at 3s", ev)
	}
	if got := c.Since(5); got != "\r\n\x1b[1mtwo\x1b[0m\r\n[ 0.0] Linux version 6\r\nthree" {
		t.Errorf("Since(5) = %q", got)
	}
	for _, s := range Stages() {
		if strings.HasPrefix(s.String(), "stage(") {
			t.Errorf("Stage(%d).String() = %q; want a name", s, s)
		}
	}
}

func BenchmarkConsoleWrite(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "console", "bios-cdrom-busybox.log"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c := NewConsole("vmtest-42# ", DefaultFailures(), nil)
		for chunk := range slicesChunk(data, 64) {
			c.Write(chunk)
		}
	}
}
