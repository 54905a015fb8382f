package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/bootstrap"
	"github.com/levitateos/levitate/internal/guide"
	"github.com/levitateos/levitate/internal/vmtest"
)

// What the guide configures (docs/install.md, sections 11 to 13) and what
// the default profile's live system is called (profiles/levitate).
const (
	liveHost = "levitateos"
	host     = "levitate"
	user     = "alice"
	password = "levitate"
)

// The prompts the test sets once a shell shows its own: computed by the
// shell, so no echo of the typed line can fake them.
const (
	livePrompt = "lvi-42# "
	diskPrompt = "lvd-42$ "
)

// bootedEntry is what OVMF prints when it starts the boot entry that
// `bootctl install` registered in NVRAM:
//
//	BdsDxe: starting Boot0004 "Linux Boot Manager" from HD(1,GPT,...)/\EFI\systemd\systemd-bootx64.efi
var bootedEntry = regexp.MustCompile(`BdsDxe: starting Boot[0-9A-F]{4} "Linux Boot Manager" from HD\(`)

// diskSize is the installation disk: the base system takes about 1 GiB.
const diskSize = 8 << 30

// phase is a timed step of the installation, for docs/benchmarks.md.
type phase struct {
	name string
	took time.Duration
}

// TestInstall installs LevitateOS from the live ISO by the guide and
// boots the result. make test-install builds the live ISO and names it
// in LEVITATE_LIVE_ISO.
func TestInstall(t *testing.T) {
	iso := os.Getenv("LEVITATE_LIVE_ISO")
	if iso == "" {
		t.Skip("LEVITATE_LIVE_ISO not set: make test-install builds the live ISO and runs this test")
	}
	blocks, err := guide.Read("../../docs/install.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	disk := filepath.Join(dir, "disk.raw")
	must(t, os.WriteFile(disk, nil, 0o644))
	must(t, os.Truncate(disk, diskSize))
	pkgDisk := testPackageDisk(t, dir)
	var phases []phase
	timed := func(name string, f func()) {
		start := time.Now()
		f()
		phases = append(phases, phase{name, time.Since(start)})
		t.Logf("phase %q took %v", name, time.Since(start).Round(time.Second))
	}
	defer func() {
		var b strings.Builder
		for _, p := range phases {
			fmt.Fprintf(&b, "\n  %-48s %6.0f s", p.name, p.took.Seconds())
		}
		t.Logf("phases:%s", b.String())
	}()

	var vm *vmtest.VM
	timed("boot the live ISO (OVMF, CD)", func() {
		vm = boot(t, vmtest.Options{
			Config: vmtest.Config{Firmware: vmtest.UEFI, ISO: iso, Disks: []vmtest.Disk{{Path: disk}}, MemoryMiB: 3072},
			Dir:    keptDir(t, "live"),
			Ready:  livePrompt,
			Expect: []vmtest.Expect{{Shown: "root@" + liveHost + ":", Keys: "PS1='lvi-$((6*7))# '\n"}},
		})
	})
	defer vm.Close()
	ran := 0
	for i, b := range blocks {
		if b.Kind != guide.Live && b.Kind != guide.Chroot {
			continue
		}
		ran++
		timed(fmt.Sprintf("guide %s block, line %d: %s", b.Kind, b.Line, firstCommand(b.Text)), func() {
			guest(t, vm, 45*time.Minute, blockCommand(i, b))
		})
	}
	if ran < 10 {
		t.Fatalf("ran %d blocks of the guide; want at least 10", ran)
	}
	timed("power off the live system", func() {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
		defer cancel()
		if err := vm.PowerOff(ctx, "systemctl poweroff"); err != nil {
			t.Fatal(err)
		}
	})

	// The machine keeps its NVRAM: the installed system must boot by the
	// entry bootctl registered, as on hardware.
	nvram := vm.VarsPath()
	timed("boot the installed disk and log in as "+user, func() {
		vm = boot(t, vmtest.Options{
			Config: vmtest.Config{Firmware: vmtest.UEFI, Vars: nvram, MemoryMiB: 2048, Disks: []vmtest.Disk{
				{Path: disk}, {Path: pkgDisk, ReadOnly: true},
			}},
			Dir:   keptDir(t, "installed"),
			Ready: diskPrompt,
			Expect: []vmtest.Expect{
				{Shown: host + " login: ", Keys: user + "\n"},
				{Shown: "Password: ", Keys: password + "\n"},
				{Shown: user + "@" + host, Keys: "PS1='lvd-$((6*7))$ '\n"},
			},
			Failures: append(vmtest.DefaultFailures(), vmtest.Failure{Text: "Login incorrect"}),
		})
	})
	defer vm.Close()
	if !bootedEntry.MatchString(vm.Console().String()) {
		t.Errorf("the firmware did not start the entry bootctl registered (%s); console log: %s", bootedEntry, vm.ConsoleLogPath())
	}
	// A person reads the pager and types sudo's password; the harness
	// can do neither.
	guest(t, vm, time.Minute, "export SYSTEMD_PAGER=cat PAGER=cat; echo "+password+" | sudo -S -v")
	installed := 0
	for i, b := range blocks {
		if b.Kind != guide.Installed {
			continue
		}
		installed++
		timed(fmt.Sprintf("guide installed block, line %d: %s", b.Line, firstCommand(b.Text)), func() {
			guest(t, vm, 15*time.Minute, blockCommand(i, b))
		})
	}
	if installed == 0 {
		t.Errorf("the guide has no block for the installed system")
	}
	timed("check the installed system", func() { checkInstalled(t, vm) })
	timed("power off the installed system", func() {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
		defer cancel()
		if err := vm.PowerOff(ctx, sudo("systemctl poweroff")); err != nil {
			t.Fatal(err)
		}
	})
}

// checkInstalled checks the booted installation, logged in as the user.
func checkInstalled(t *testing.T, vm *vmtest.VM) {
	const minute = time.Minute
	if got := guest(t, vm, minute, "cat /proc/1/comm"); strings.TrimSpace(got) != "systemd" {
		t.Errorf("PID 1 is %q; want systemd", got)
	}
	if got := guest(t, vm, minute, "cat /proc/sys/kernel/hostname"); strings.TrimSpace(got) != host {
		t.Errorf("hostname = %q; want %q", got, host)
	}
	guest(t, vm, minute, "getent hosts "+host)
	if got := strings.Fields(guest(t, vm, minute, "id -un; id -Gn")); len(got) < 2 || got[0] != user || !slices.Contains(got[1:], "wheel") {
		t.Errorf("id = %q; want %s in group wheel", got, user)
	}
	// The boot may still be settling: wait for it, then nothing failed.
	state, _ := guestStatus(t, vm, 15*minute, "systemctl is-system-running --wait")
	if failed := guest(t, vm, minute, "systemctl --failed --no-legend --plain --no-pager"); strings.TrimSpace(failed) != "" || strings.TrimSpace(state) != "running" {
		t.Errorf("system state %q, failed units:\n%s\nwant running, none failed", state, failed)
	}
	listed := guest(t, vm, minute, "recipe list --installed")
	for _, name := range append(bootstrap.BaseSet(), "systemd-boot", "sudo") {
		if !strings.Contains(listed, name+" ") {
			t.Errorf("recipe list --installed lacks %s:\n%s", name, listed)
		}
	}
	guest(t, vm, 10*minute, sudo("recipe verify"))
	guest(t, vm, minute, sudo("mkdir -p /run/testpkg")+" && "+sudo("mount -o ro /dev/vdb /run/testpkg"))
	guest(t, vm, 10*minute, sudo("recipe install /run/testpkg/hello.recipe"))
	if got := guest(t, vm, minute, "hello"); strings.TrimSpace(got) != helloText {
		t.Errorf("hello printed %q; want %q", got, helloText)
	}
	if got := guest(t, vm, minute, "recipe list --installed"); !strings.Contains(got, "hello ") {
		t.Errorf("recipe list --installed lacks hello after its install:\n%s", got)
	}
	guest(t, vm, 10*minute, sudo("recipe remove hello"))
	if out, status := guestStatus(t, vm, minute, "hash -r; command -v hello || test -e /usr/bin/hello"); status == 0 {
		t.Errorf("hello is still installed after recipe remove: %q", out)
	}
	if got := guest(t, vm, minute, "recipe list --installed"); strings.Contains(got, "hello ") {
		t.Errorf("recipe list --installed still lists hello:\n%s", got)
	}
	guest(t, vm, 10*minute, sudo("recipe verify"))
}

// sudo is cmd run with sudo as the user, who gives the password again
// whenever sudo asks (its timestamp lasts minutes; a verify under TCG can
// take longer).
func sudo(cmd string) string {
	return "echo " + password + " | sudo -S -p '' -v && sudo -n " + cmd
}

// blockCommand is the one line that runs guide block i: the block is
// passed as base64, so that no quoting or line editing can change it, and
// runs with bash -e, in the live system or, for a chroot block, as
// `recipe chroot /mnt bash -e -c BLOCK`, as the guide says.
func blockCommand(i int, b guide.Block) string {
	file := fmt.Sprintf("/tmp/guide-%d.sh", i)
	run := "bash -e " + file
	if b.Kind == guide.Chroot {
		run = `recipe chroot /mnt bash -e -c "$(cat ` + file + `)"`
	}
	return "echo " + base64.StdEncoding.EncodeToString([]byte(b.Text)) + " | base64 -d > " + file + " && " + run
}

// firstCommand names a block in the phase table.
func firstCommand(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	if len(line) > 40 {
		line = line[:37] + "..."
	}
	return line
}

// keptDir is a directory for a VM's console log and NVRAM, removed when
// the test passes and kept for a look when it fails.
func keptDir(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "levitate-install-"+name+"-")
	must(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s VM's console log and NVRAM kept in %s", name, dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

// boot boots the VM; its logs stay on failure. Under TCG on a loaded
// two-core host, userspace can take minutes.
func boot(t *testing.T, opts vmtest.Options) *vmtest.VM {
	t.Helper()
	opts.Timeouts = vmtest.Timeouts{Userspace: 10 * time.Minute, Hard: 20 * time.Minute}
	opts.Log = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
	vm, err := vmtest.Boot(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return vm
}

// guest runs cmd in the guest and fails the test unless it exits 0.
func guest(t *testing.T, vm *vmtest.VM, timeout time.Duration, cmd string) string {
	t.Helper()
	out, status := guestStatus(t, vm, timeout, cmd)
	if status != 0 {
		t.Fatalf("guest$ %s\n%s\nexit status %d (console log: %s)", cmd, out, status, vm.ConsoleLogPath())
	}
	return out
}

// guestStatus runs cmd in the guest and returns its output and status.
func guestStatus(t *testing.T, vm *vmtest.VM, timeout time.Duration, cmd string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	start := time.Now()
	out, status, err := vm.Run(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("guest$ %s\n%s(exit %d, %v)", shorten(cmd), tail(out, 30), status, time.Since(start).Round(time.Millisecond))
	return out, status
}

func shorten(cmd string) string {
	if len(cmd) > 120 {
		return cmd[:117] + "..."
	}
	return cmd
}

// tail keeps the last n lines of a command's output for the test log.
func tail(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("[... %d lines]\n", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "")
}

// TestBootedEntry matches OVMF's line for the entry bootctl registers,
// as a real boot printed it, and not the removable-media fallback.
func TestBootedEntry(t *testing.T) {
	for _, tt := range []struct {
		line string
		want bool
	}{
		{"\x1b[01;01HBdsDxe: starting Boot0004 \"Linux Boot Manager\" from HD(1,GPT,2EA4DCC7-35D3-CC46-A6F1-F88C29FE671F,0x800,0x100000)/\\EFI\\systemd\\systemd-bootx64.efi", true},
		{"BdsDxe: starting Boot0001 \"UEFI Misc Device\" from PciRoot(0x0)/Pci(0x2,0x0)", false},
		{"BdsDxe: loading Boot0004 \"Linux Boot Manager\" from HD(1,GPT,X)/", false},
	} {
		if got := bootedEntry.MatchString(tt.line); got != tt.want {
			t.Errorf("bootedEntry.MatchString(%q) = %v; want %v", tt.line, got, tt.want)
		}
	}
}
