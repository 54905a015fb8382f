package build

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/testutil"
	"github.com/levitateos/levitate/internal/vendorset"
	"github.com/levitateos/levitate/internal/vmtest"
)

// fullExtraPackages are Debian "Essential" packages that dracut needs
// in the root (grep, xargs, ldd, sed): Debian never declares them as
// dependencies, so the test package set does not pull them in, while
// Rocky's dracut requires them.
var fullExtraPackages = []string{"grep", "findutils", "libc-bin", "sed"}

// fullPrompt is the test shell prompt; the shell computes it, so no echo
// of the command can fake it.
const fullPrompt = "lvt-42# "

// fullProfile copies testdata/profile to a temporary directory, adds the
// extra packages and a profile.d file that sets the test prompt.
func fullProfile(t *testing.T) *profile.Profile {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "profile")
	if out, err := exec.Command("cp", "-a", "testdata/profile", dir).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	f, err := os.OpenFile(filepath.Join(dir, profile.PackagesFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n" + strings.Join(fullExtraPackages, "\n") + "\n")
	f.Close()
	prompt := filepath.Join(dir, profile.OverlayDir, "etc/profile.d/zz-levitate-test.sh")
	touch(t, prompt)
	if err := os.WriteFile(prompt, []byte("PS1='lvt-$((6*7))# '\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(dir)
	if err != nil {
		t.Fatalf("profile.Load: %v", err)
	}
	return p
}

func vendorISO(t *testing.T) string {
	t.Helper()
	cache := os.Getenv("LEVITATE_CACHE")
	if cache == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		cache = filepath.Join(d, "levitate")
	}
	res, err := vendorset.Build(t.Context(), vendorset.Options{CacheDir: cache})
	if err != nil {
		t.Fatalf("vendorset.Build: %v", err)
	}
	return res.ISO
}

// TestFullBuild builds the default profile from the test vendor ISO with
// zstd, inspects the ISO with xorriso and unsquashfs, and with
// LEVITATE_BOOT_TESTS=1 boots it under SeaBIOS.
func TestFullBuild(t *testing.T) {
	needSlow(t)
	needRoot(t)
	for _, tool := range []string{"rpm", "unshare", "mksquashfs", "unsquashfs", "xorriso", "mkfs.fat", "mcopy", "grub-mkimage", "go"} {
		testutil.NeedTool(t, tool)
	}
	p := fullProfile(t)
	p.Settings.VerifySignatures = false
	p.Settings.Compression = profile.Compression{Algo: "zstd", Level: 3}
	dir := t.TempDir()
	var console bytes.Buffer
	o := Options{
		Profile: p, Settings: p.Settings, Source: vendorISO(t),
		Out: filepath.Join(dir, "out", "levitateos.iso"), Work: filepath.Join(dir, "work"),
		Lock: filepath.Join(dir, "out", "levitateos.lock"), ModuleDir: "../..",
		Epoch: -1, Console: &console,
	}
	plan, err := NewPlan(o)
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Execute(t.Context())
	t.Logf("console:\n%s", console.String())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, s := range res.Stages {
		t.Logf("stage %-10s %6.1fs %s", s.Name, s.Duration.Seconds(), humanSize(s.Size))
	}
	inspectISO(t, o)
	if os.Getenv("LEVITATE_BOOT_TESTS") == "1" {
		bootISO(t, o.Out)
	}
}

func inspectISO(t *testing.T, o Options) {
	t.Helper()
	out, err := exec.Command("xorriso", "-indev", o.Out, "-report_el_torito", "plain", "-report_system_area", "plain").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso report: %v\n%s", err, out)
	}
	rep := string(out)
	if n := strings.Count(rep, "El Torito boot img :"); n != 2 {
		t.Errorf("xorriso -report_el_torito: %d boot images; want 2 (BIOS and UEFI)\n%s", n, rep)
	}
	// xorriso prints GPT GUIDs in on-disk (mixed-endian) byte order:
	// 28732ac1... is the ESP type boot.ESPTypeGUID (C12A7328-...).
	for _, want := range []string{
		`El Torito boot img :\s+1\s+BIOS\s+y`,
		`El Torito boot img :\s+2\s+UEFI\s+y`,
		`GPT type GUID\s+:\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b`,
		`MBR partition\s+:\s+1\s+0x00\s+0xee`,
	} {
		if !regexp.MustCompile(want).MatchString(rep) {
			t.Errorf("xorriso report does not match %q\n%s", want, rep)
		}
	}
	sq := filepath.Join(o.Work, treeDir, SquashfsPath)
	out, err = exec.Command("unsquashfs", "-l", sq).CombinedOutput()
	if err != nil {
		t.Fatalf("unsquashfs -l: %v\n%s", err, out)
	}
	list := string(out)
	for _, want := range []string{
		"squashfs-root/" + RecipeBin,
		"squashfs-root/etc/motd",
		"squashfs-root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf",
		"squashfs-root/etc/profile.d/zz-levitate-test.sh",
		"squashfs-root/usr/lib/os-release",
		"squashfs-root/var/lib/rpm",
	} {
		if !strings.Contains(list, want+"\n") {
			t.Errorf("unsquashfs -l lacks %s", want)
		}
	}
	if strings.Contains(list, "squashfs-root/proc/") || strings.Contains(list, "levitate-initramfs.img") {
		t.Errorf("unsquashfs -l shows excluded files (proc contents or the initramfs)")
	}
	for _, f := range []string{"SHA256SUMS", "levitateos.packages.txt", "levitateos.report.txt"} {
		if fi, err := os.Stat(filepath.Join(filepath.Dir(o.Out), f)); err != nil || fi.Size() == 0 {
			t.Errorf("output %s: %v", f, err)
		}
	}
}

func bootISO(t *testing.T, iso string) { bootISOPrompt(t, iso, fullPrompt) }

func bootISOPrompt(t *testing.T, iso, prompt string) {
	t.Helper()
	testutil.NeedTool(t, "qemu-system-x86_64")
	start := time.Now()
	vm, err := vmtest.Boot(t.Context(), vmtest.Options{
		Config: vmtest.Config{ISO: iso, KVM: vmtest.KVMAvailable()},
		Ready:  prompt,
	})
	if err != nil {
		t.Fatalf("boot: %v", err)
	}
	defer vm.Close()
	t.Logf("SeaBIOS CD: shell after %v", time.Since(start).Round(time.Second))
	for _, c := range []struct{ cmd, want string }{
		{"findmnt -n -o SOURCE,FSTYPE /", "overlay"},
		{"recipe --version", "recipe version"},
		{"cat /etc/hostname", "levitateos"},
		{". /etc/os-release; echo $NAME", "LevitateOS"},
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
		out, status, err := vm.Run(ctx, c.cmd)
		cancel()
		if err != nil {
			t.Fatalf("Run(%q): %v", c.cmd, err)
		}
		t.Logf("guest$ %s -> %q, %d", c.cmd, out, status)
		if status != 0 || !strings.Contains(out, c.want) {
			t.Errorf("Run(%q) = %q, %d; want %q, 0", c.cmd, out, status, c.want)
		}
	}
}
