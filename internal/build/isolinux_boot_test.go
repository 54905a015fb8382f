package build

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/testutil"
	"github.com/levitateos/levitate/internal/vmtest"
)

// bootModesISOEnv names a live ISO built by an earlier run of
// TestBootModes (its log prints the path), so that a developer can repeat
// the boots without the ~80 s build. CI never sets it.
const bootModesISOEnv = "LEVITATE_BOOTMODES_ISO"

// bootModesPackages are what the ISOLINUX boot mode and the media check
// add to the test profile, unless it has them already: Rocky's names, which the test set maps to
// Debian's isolinux, syslinux-common and isomd5sum.
var bootModesPackages = []string{"syslinux-nonlinux", "isomd5sum"}

// Texts that the boot menus print only while they wait for a key.
const (
	grubMenuShown     = "automatically in"  // "... executed automatically in 5s."
	isolinuxMenuShown = "Automatic boot in" // menu.c32: "Automatic boot in 5 seconds..."
)

// bootModesProfile is the test profile (fullProfile) with the boot modes
// "isolinux uefi-grub" and bootModesPackages.
func bootModesProfile(t *testing.T) *profile.Profile {
	t.Helper()
	p := fullProfile(t)
	conf := filepath.Join(p.Dir, profile.ConfFile)
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	modes := regexp.MustCompile(`(?m)^boot-modes\s*=.*$`)
	if !modes.Match(b) {
		t.Fatalf("%s has no boot-modes line", conf)
	}
	b = modes.ReplaceAll(b, []byte("boot-modes = isolinux uefi-grub"))
	// systemd waits 90 s for /dev/ttyS0 before it gives up on the serial
	// getty; udev took longer than that under TCG on a loaded host.
	cmdline := regexp.MustCompile(`(?m)^kernel-cmdline\s*=.*$`)
	if !cmdline.Match(b) {
		t.Fatalf("%s has no kernel-cmdline line", conf)
	}
	b = cmdline.ReplaceAll(b, []byte("kernel-cmdline = systemd.default_timeout_start_sec=600"))
	if err := os.WriteFile(conf, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(p.Dir, profile.PackagesFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	var add []string
	for _, n := range bootModesPackages {
		if !slices.Contains(p.PackageNames(), n) {
			add = append(add, n)
		}
	}
	_, err = f.WriteString("\n" + strings.Join(add, "\n") + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if p, err = profile.Load(p.Dir); err != nil {
		t.Fatalf("profile.Load: %v", err)
	}
	return p
}

// bootModesISO builds the live ISO of bootModesProfile from the test
// vendor ISO, or returns $LEVITATE_BOOTMODES_ISO.
func bootModesISO(t *testing.T) string {
	t.Helper()
	if iso := os.Getenv(bootModesISOEnv); iso != "" {
		t.Logf("using %s=%s", bootModesISOEnv, iso)
		return iso
	}
	needRoot(t)
	for _, tool := range []string{"rpm", "unshare", "mksquashfs", "xorriso", "mkfs.fat", "mcopy", "go"} {
		testutil.NeedTool(t, tool)
	}
	p := bootModesProfile(t)
	p.Settings.VerifySignatures = false
	p.Settings.Compression = profile.Compression{Algo: "zstd", Level: 3}
	dir := t.TempDir()
	o := Options{
		Profile: p, Settings: p.Settings, Sources: []profile.Source{{Location: vendorISO(t)}},
		Out: filepath.Join(dir, "out", "levitateos.iso"), Work: filepath.Join(dir, "work"),
		Lock: filepath.Join(dir, "out", "levitateos.lock"), ModuleDir: "../..", Epoch: -1,
		Console: t.Output(),
	}
	plan, err := NewPlan(o)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := plan.Execute(t.Context()); err != nil {
		t.Fatalf("build: %v", err)
	}
	t.Logf("built %s in %v", o.Out, time.Since(start).Round(time.Second))
	return o.Out
}

// bootCase is one boot of the boot-modes ISO.
type bootCase struct {
	name  string
	fw    vmtest.Firmware
	media vmtest.Media
	menu  []vmtest.Expect
	// checks run in the guest shell: each command's output must
	// contain its want.
	checks []guestCheck
}

type guestCheck struct{ cmd, want string }

// TestBootModes builds one live ISO with ISOLINUX for BIOS, shim + GRUB
// for UEFI and the media check, and boots it one way after another:
// ISOLINUX as CD and as USB disk, UEFI with Secure Boot enforced, and the
// "Test this media & start" entry, picked through the menu, on the good
// image and on a copy with one byte of the squashfs inverted.
func TestBootModes(t *testing.T) {
	if os.Getenv("LEVITATE_BOOT_TESTS") != "1" {
		t.Skip("real QEMU boots are slow; set LEVITATE_BOOT_TESTS=1 (make test-boot)")
	}
	testutil.NeedTool(t, "qemu-system-x86_64")
	needSlow(t)
	iso := bootModesISO(t)
	live := []guestCheck{
		{"findmnt -n -o SOURCE,FSTYPE /", "overlay"},
		{"cat /etc/hostname", "levitateos"},
	}
	checkKey, _ := boot.Menu{MediaCheck: true}.Entry(boot.EntryMediaCheck)
	for _, bc := range []bootCase{
		{name: "isolinux-cd", fw: vmtest.BIOS, media: vmtest.CDROM,
			checks: append(live, guestCheck{"cat /proc/cmdline", "rd.live.image"})},
		{name: "isolinux-usb", fw: vmtest.BIOS, media: vmtest.USB, checks: live},
		{name: "uefi-secureboot", fw: vmtest.UEFISecureBoot, media: vmtest.CDROM, checks: append(live,
			// The last byte of the SecureBoot variable is its value.
			guestCheck{"od -An -tu1 /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c | awk '{print \"sb=\" $NF}'", "sb=1"},
			guestCheck{"dmesg | grep -i 'secure boot'", "Secure boot enabled"},
		)},
		// GRUB's entry, on UEFI: GRUB boots a hotkey at once.
		{name: "mediacheck-pass", fw: vmtest.UEFI, media: vmtest.CDROM,
			menu:   []vmtest.Expect{{Shown: grubMenuShown, Keys: checkKey.Key}},
			checks: append(live, guestCheck{"cat /proc/cmdline", "rd.live.check"})},
	} {
		t.Run(bc.name, func(t *testing.T) {
			vm, took := bootMode(t, iso, bc)
			defer vm.Close()
			runGuestChecks(t, vm, bc.checks)
			if bc.menu != nil && !strings.Contains(vm.Console().String(), "the result is: PASS") {
				t.Errorf("console lacks checkisomd5's \"the result is: PASS\"")
			}
			t.Logf("BENCH %s: shell after %v", bc.name, took.Round(time.Second))
		})
	}
	t.Run("mediacheck-fail", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.iso")
		at, err := vmtest.CorruptCopy(t.Context(), iso, bad, "/"+SquashfsPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("inverted the byte at %d (in /%s)", at, SquashfsPath)
		// ISOLINUX's entry, on BIOS: its hotkey highlights, Enter boots.
		start := time.Now()
		vm, err := vmtest.Boot(t.Context(), vmtest.Options{
			Config:   vmtest.Config{ISO: bad, KVM: vmtest.KVMAvailable()},
			Ready:    fullPrompt,
			Expect:   []vmtest.Expect{{Shown: isolinuxMenuShown, Keys: checkKey.Key + "\r"}},
			Timeouts: loadedTimeouts(),
			Log:      testLog(t),
		})
		if err == nil {
			vm.Close()
			t.Fatal("Boot(corrupt ISO, media check) reached the shell; want the check to fail")
		}
		var be *vmtest.BootError
		if !errors.As(err, &be) {
			t.Fatalf("Boot(corrupt ISO) = %v; want a *vmtest.BootError", err)
		}
		if be.Stage != vmtest.StageInitramfs || !strings.Contains(be.Line, "not recommended to use this media") && !strings.Contains(be.Line, "CD check failed") {
			t.Errorf("Boot(corrupt ISO) failed in %s on %q; want the media check's verdict in the initramfs\n%v", be.Stage, be.Line, err)
		}
		t.Logf("BENCH mediacheck-fail: failed after %v: %s", time.Since(start).Round(time.Second), be.Line)
	})
}

// bootMode boots iso as bc says and returns the VM at its shell prompt.
func bootMode(t *testing.T, iso string, bc bootCase) (*vmtest.VM, time.Duration) {
	t.Helper()
	cfg := vmtest.Config{ISO: iso, Firmware: bc.fw, Media: bc.media, KVM: vmtest.KVMAvailable()}
	if bc.fw == vmtest.UEFISecureBoot {
		// SMM under TCG is several times slower with two vCPUs.
		cfg.CPUs = 1
	}
	start := time.Now()
	vm, err := vmtest.Boot(t.Context(), vmtest.Options{Config: cfg, Ready: fullPrompt, Expect: bc.menu, Timeouts: loadedTimeouts(), Log: testLog(t)})
	if err != nil {
		t.Fatalf("Boot(%s): %v", bc.name, err)
	}
	return vm, time.Since(start)
}

// loadedTimeouts stretch the userspace watchdog: systemd prints little
// between its banner and the serial getty, and on this two-core machine
// with other builds running, that stretch took 2-4 minutes under TCG
// (DefaultTimeouts allow 4).
func loadedTimeouts() vmtest.Timeouts {
	return vmtest.Timeouts{Userspace: 8 * time.Minute, Hard: 15 * time.Minute}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}
