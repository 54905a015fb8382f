package vmtest

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

// bootEnv is what every real boot test needs: the test ISO's ingredients.
type bootEnv struct {
	vmlinuz, release, busybox string
}

func setupBoot(ctx context.Context, t *testing.T) bootEnv {
	t.Helper()
	if os.Getenv("LEVITATE_BOOT_TESTS") != "1" {
		t.Skip("real QEMU boots are slow; set LEVITATE_BOOT_TESTS=1 (make test-boot)")
	}
	testutil.NeedTools(t, "qemu-system-x86_64", "grub-mkrescue", "xorriso", "mformat", "cpio", "apt-get", "dpkg-deb")
	for _, f := range []string{"/bin/busybox", DefaultOVMFDir + "/OVMF_CODE_4M.fd", "/usr/lib/grub/i386-pc/cdboot.img", "/usr/lib/grub/x86_64-efi/linux.mod"} {
		if _, err := os.Stat(f); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("missing file (Debian packages busybox-static, ovmf, grub-pc-bin, grub-efi-amd64-bin): %v", err)
			}
			t.Fatalf("missing file in CI: %v", err)
		}
	}
	vmlinuz, release := debianKernel(ctx, t)
	return bootEnv{vmlinuz: vmlinuz, release: release, busybox: "/bin/busybox"}
}

// testTimeouts are tighter than the defaults: the test ISO has no
// userspace to wait for. The bootloader stage includes the kernel's XZ
// decompression, which prints nothing and takes 25-45 s under TCG.
func testTimeouts() Timeouts {
	return Timeouts{Firmware: 60 * time.Second, Bootloader: 120 * time.Second, Kernel: 60 * time.Second,
		Initramfs: 30 * time.Second, Userspace: 30 * time.Second, Hard: 180 * time.Second}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func TestBoot(t *testing.T) {
	ctx := t.Context()
	env := setupBoot(ctx, t)
	iso := buildISO(ctx, t, "good", isoSpec{init: goodInit, busybox: env.busybox, vmlinuz: env.vmlinuz, outputDir: t.TempDir()})
	// One after another: boots in parallel on two cores starve each other.
	for _, tc := range []struct {
		fw    Firmware
		media Media
	}{{BIOS, CDROM}, {BIOS, USB}, {UEFI, CDROM}, {UEFI, USB}} {
		t.Run(tc.fw.String()+"-"+tc.media.String(), func(t *testing.T) {
			start := time.Now()
			vm, err := Boot(ctx, Options{
				Config:   Config{Firmware: tc.fw, ISO: iso, Media: tc.media, MemoryMiB: 1024, KVM: KVMAvailable()},
				Ready:    testPrompt,
				Timeouts: testTimeouts(),
				Log:      testLogger(t),
			})
			if err != nil {
				t.Fatalf("Boot: %v", err)
			}
			defer vm.Close()
			shell := time.Since(start)
			var stages []string
			for _, e := range vm.Events() {
				stages = append(stages, e.Stage.String()+"@"+e.At.Round(100*time.Millisecond).String())
			}
			t.Logf("%s %s: shell after %v (%s)", tc.fw, tc.media, shell.Round(100*time.Millisecond), strings.Join(stages, " "))
			if got := vm.Events(); len(got) < 4 || got[len(got)-1].Stage != StageShell {
				t.Errorf("stages = %v; want firmware ... shell", stages)
			}
			for _, c := range []struct {
				cmd    string
				out    string
				status int
			}{
				{"uname -r", env.release + "\n", 0},
				{"false", "", 1},
				{"(exit 7)", "", 7},
				{"printf 'a\\nb'", "a\nb", 0},
				{"echo __BEGIN_1__ __END_1__ 5; cat /proc/cmdline | grep -c console=ttyS0", "__BEGIN_1__ __END_1__ 5\n1\n", 0},
			} {
				rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				out, status, err := vm.Run(rctx, c.cmd)
				cancel()
				if err != nil {
					t.Fatalf("Run(%q): %v", c.cmd, err)
				}
				if out != c.out || status != c.status {
					t.Errorf("Run(%q) = %q, %d; want %q, %d", c.cmd, out, status, c.out, c.status)
				}
			}
		})
	}
}

// TestBootDiskImage boots a disk image from a virtio disk, with no ISO
// attached: the hybrid test ISO is also a valid disk image (MBR for BIOS,
// GPT with an ESP for UEFI), which is how an installed system's disk is
// booted in the installation test.
func TestBootDiskImage(t *testing.T) {
	ctx := t.Context()
	env := setupBoot(ctx, t)
	iso := buildISO(ctx, t, "disk", isoSpec{init: goodInit, busybox: env.busybox, vmlinuz: env.vmlinuz, outputDir: t.TempDir()})
	for _, fw := range []Firmware{BIOS, UEFI} {
		t.Run(fw.String(), func(t *testing.T) {
			img := filepath.Join(t.TempDir(), "disk.img")
			must(t, copyFile(img, iso))
			vm, err := Boot(ctx, Options{
				Config:   Config{Firmware: fw, Disks: []Disk{{Path: img}}, MemoryMiB: 1024, KVM: KVMAvailable()},
				Ready:    testPrompt,
				Timeouts: testTimeouts(),
				Log:      testLogger(t),
			})
			if err != nil {
				t.Fatalf("Boot from disk image: %v", err)
			}
			defer vm.Close()
			rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			out, status, err := vm.Run(rctx, "uname -r")
			if err != nil || status != 0 || out != env.release+"\n" {
				t.Errorf("Run(uname -r) = %q, %d, %v; want %q, 0", out, status, err, env.release+"\n")
			}
		})
	}
}

func TestBootFailures(t *testing.T) {
	ctx := t.Context()
	env := setupBoot(ctx, t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		fw    Firmware
		spec  isoSpec
		stage Stage
		line  string // expected in the failure line; empty for a stall
		limit time.Duration
		wait  time.Duration // the bootloader watchdog
	}{
		{"kernel-panic", BIOS, isoSpec{init: exitingInit}, StageInitramfs, "Kernel panic", 90 * time.Second, 0},
		{"missing-kernel", BIOS, isoSpec{init: goodInit, noKernel: true}, StageBootloader, "you need to load the kernel first", 30 * time.Second, 0},
		{"stall", BIOS, isoSpec{init: goodInit, waitMenu: true}, StageBootloader, "", 30 * time.Second, 10 * time.Second},
		// grub-mkrescue's GRUB is unsigned: OVMF with Secure Boot enforced
		// must refuse it.
		{"secure-boot-unsigned", UEFISecureBoot, isoSpec{init: goodInit}, StageFirmware, "Access Denied", 40 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := tc.spec
			spec.busybox, spec.vmlinuz, spec.outputDir = env.busybox, env.vmlinuz, dir
			iso := buildISO(ctx, t, tc.name, spec)
			to := testTimeouts()
			if tc.wait > 0 {
				to.Bootloader = tc.wait
			}
			cfg := Config{Firmware: tc.fw, ISO: iso, MemoryMiB: 1024, KVM: KVMAvailable()}
			if tc.fw == UEFISecureBoot {
				// SMM under TCG with two vCPUs makes the Secure Boot
				// firmware take ~50 s instead of ~12 s.
				cfg.CPUs = 1
			}
			vmDir := t.TempDir()
			start := time.Now()
			vm, err := Boot(ctx, Options{
				Config:   cfg,
				Ready:    testPrompt,
				Timeouts: to,
				Dir:      vmDir,
				Log:      testLogger(t),
			})
			took := time.Since(start)
			if err == nil {
				vm.Close()
				t.Fatalf("Boot(%s) succeeded; want a failure in the %s stage", tc.name, tc.stage)
			}
			var be *BootError
			if !errors.As(err, &be) {
				t.Fatalf("Boot(%s) = %v; want a *BootError", tc.name, err)
			}
			t.Logf("%s failed after %v: %v", tc.name, took.Round(100*time.Millisecond), be.Reason)
			if be.Stage != tc.stage {
				t.Errorf("Boot(%s) stage = %s; want %s\n%v", tc.name, be.Stage, tc.stage, err)
			}
			if !strings.Contains(be.Line, tc.line) || (tc.line == "" && !strings.HasPrefix(be.Reason, "stalled")) {
				t.Errorf("Boot(%s) line = %q, reason %q; want line containing %q", tc.name, be.Line, be.Reason, tc.line)
			}
			if took > tc.limit {
				t.Errorf("Boot(%s) took %v to fail; want under %v (hard timeout %v)", tc.name, took, tc.limit, to.Hard)
			}
			if be.Image != iso || !strings.Contains(err.Error(), be.ConsoleLog) {
				t.Errorf("error = %v; want image %s and the console log path", err, iso)
			}
			if tc.name == "missing-kernel" && !strings.Contains(strings.Join(be.Tail, "\n"), "error: file `/boot/vmlinuz' not found") {
				t.Errorf("Boot(%s) tail = %q; want GRUB's file-not-found error", tc.name, be.Tail)
			}
			if log, err := os.ReadFile(be.ConsoleLog); err != nil || !strings.Contains(string(log), map[bool]string{true: "BdsDxe", false: "vmtest"}[tc.fw != BIOS]) {
				t.Errorf("console log %s kept = %v (%d bytes); want GRUB's menu entry in it", be.ConsoleLog, err, len(log))
			}
		})
	}
}
