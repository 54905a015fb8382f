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

// fullProfile copies the default profile to a temporary directory, adds the
// extra packages and a profile.d file that sets the test prompt.
func fullProfile(t *testing.T) *profile.Profile {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "profile")
	if out, err := exec.Command("cp", "-a", defaultProfileDir, dir).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	// The copy keeps using the repository's recipes.
	conf := filepath.Join(dir, profile.ConfFile)
	data, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	recipes, _ := filepath.Abs("../../recipes")
	data = regexp.MustCompile(`(?m)^recipes = .*$`).ReplaceAll(data, []byte("recipes = "+recipes))
	if err := os.WriteFile(conf, data, 0o644); err != nil {
		t.Fatal(err)
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

// fullEpoch is the SOURCE_DATE_EPOCH of the full builds.
const fullEpoch = 1700000000

// TestFullBuild builds the default profile from the test vendor ISO with
// zstd and inspects the ISO with xorriso and unsquashfs; with
// LEVITATE_BOOT_TESTS=1 it boots it on both firmwares from both media.
// Then it builds the same lock again with an empty cache and wants the
// same bytes, again from the warm stage cache and wants the same bytes,
// and once more after an airootfs change and wants the cached root,
// initramfs and package repository reused.
func TestFullBuild(t *testing.T) {
	needSlow(t)
	needRoot(t)
	for _, tool := range []string{"rpm", "unshare", "mksquashfs", "unsquashfs", "xorriso", "mkfs.fat", "mcopy", "grub-mkimage", "go", "zstd"} {
		testutil.NeedTool(t, tool)
	}
	p := fullProfile(t)
	p.Settings.VerifySignatures = false
	p.Settings.Compression = profile.Compression{Algo: "zstd", Level: 3}
	dir := t.TempDir()
	// One recipe binary for all three builds: the builder, not the Go
	// toolchain, is under test (and a checkout edited meanwhile must not
	// make the builds differ).
	recipeBin := filepath.Join(dir, "recipe")
	build := exec.Command("go", RecipeBuildArgv(recipeBin)[1:]...)
	build.Dir, build.Env = "../..", append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build recipe: %v\n%s", err, out)
	}
	o := Options{
		Profile: p, Settings: p.Settings, Sources: []profile.Source{{Location: vendorISO(t)}},
		Out: filepath.Join(dir, "out", "levitateos.iso"), Work: filepath.Join(dir, "work"),
		Lock: filepath.Join(dir, "out", "levitateos.lock"), Recipe: recipeBin,
		CacheDir: filepath.Join(dir, "cache"), Epoch: fullEpoch,
	}
	clean := fullBuild(t, o)
	for _, s := range clean.Stages {
		if s.Cached {
			t.Errorf("first build: stage %s came from an empty cache", s.Name)
		}
	}
	inspectISO(t, o)
	if os.Getenv("LEVITATE_BOOT_TESTS") == "1" {
		bootMatrix(t, o.Out)
	}

	t.Run("reproducible", func(t *testing.T) {
		o2 := o
		o2.Out, o2.Work = filepath.Join(dir, "out2", "levitateos.iso"), filepath.Join(dir, "work2")
		o2.CacheDir, o2.Locked = filepath.Join(dir, "cache2"), true
		fullBuild(t, o2)
		a, _ := os.ReadFile(o.Out)
		b, _ := os.ReadFile(o2.Out)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("two builds of one lock with SOURCE_DATE_EPOCH=%d differ (%d and %d bytes)", fullEpoch, len(a), len(b))
			reportDifferences(t, o.Work, o2.Work)
		}
	})

	// The stage caches are warm now: a build of the same inputs from them
	// must give the clean build's bytes.
	t.Run("from-cache", func(t *testing.T) {
		o4 := o
		o4.Out, o4.Work = filepath.Join(dir, "out4", "levitateos.iso"), filepath.Join(dir, "work4")
		o4.Locked = true
		re := fullBuild(t, o4)
		for _, s := range re.Stages {
			want := s.Name == StageRootfs || s.Name == StageInitramfs || s.Name == StageRepo
			if s.Cached != want {
				t.Errorf("build from the cache: stage %s cached = %v; want %v", s.Name, s.Cached, want)
			}
		}
		a, _ := os.ReadFile(o.Out)
		b, _ := os.ReadFile(o4.Out)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("a build from the stage cache differs from the clean build of the same inputs (%d and %d bytes)", len(b), len(a))
			reportDifferences(t, o.Work, o4.Work)
		}
	})

	t.Run("incremental", func(t *testing.T) {
		o3 := o
		o3.Out, o3.Work = filepath.Join(dir, "out3", "levitateos.iso"), filepath.Join(dir, "work3")
		note := filepath.Join(p.Dir, profile.OverlayDir, "etc/levitate-incremental")
		if err := os.WriteFile(note, []byte("changed after the first build\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		p3, err := profile.Load(p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		p3.Settings = p.Settings
		o3.Profile, o3.Settings = p3, p3.Settings
		re := fullBuild(t, o3)
		for _, s := range re.Stages {
			want := s.Name == StageRootfs || s.Name == StageInitramfs || s.Name == StageRepo
			if s.Cached != want {
				t.Errorf("rebuild after an airootfs change: stage %s cached = %v; want %v", s.Name, s.Cached, want)
			}
		}
		out, err := exec.Command("unsquashfs", "-l", filepath.Join(o3.Work, treeDir, SquashfsPath)).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "squashfs-root/etc/levitate-incremental\n") {
			t.Errorf("the rebuilt squashfs lacks the new airootfs file (%v)", err)
		}
		t.Logf("rebuild %.1fs = %.0f%% of the clean build %.1fs", re.Total.Seconds(), 100*re.Total.Seconds()/clean.Total.Seconds(), clean.Total.Seconds())
	})
}

// fullBuild runs one build of o and logs its stages.
func fullBuild(t *testing.T, o Options) *Result {
	t.Helper()
	var console bytes.Buffer
	o.Console = &console
	plan, err := NewPlan(o)
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Execute(t.Context())
	t.Logf("console:\n%s", console.String())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if strings.Contains(console.String(), "warning:") {
		t.Errorf("build warned:\n%s", console.String())
	}
	return res
}

// reportDifferences names the files of two build trees (ISO tree and
// unpacked squashfs) whose contents differ.
func reportDifferences(t *testing.T, w1, w2 string) {
	t.Helper()
	sums := func(w string) map[string]string {
		m := map[string]string{}
		filepath.WalkDir(filepath.Join(w, treeDir), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				sum, _ := fileSHA256(p)
				rel, _ := filepath.Rel(w, p)
				m[rel] = sum
			}
			return nil
		})
		root := filepath.Join(t.TempDir(), "sq")
		if out, err := exec.Command("unsquashfs", "-d", root, "-no-progress", filepath.Join(w, treeDir, SquashfsPath)).CombinedOutput(); err != nil {
			t.Logf("unsquashfs: %v\n%s", err, out)
			return m
		}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				fi, _ := d.Info()
				sum := fi.Mode().String()
				if d.Type().IsRegular() {
					s, _ := fileSHA256(p)
					sum += " " + s
				} else if l, err := os.Readlink(p); err == nil {
					sum += " -> " + l
				}
				m["squashfs:"+rel] = sum
			}
			return nil
		})
		return m
	}
	a, b := sums(w1), sums(w2)
	n := 0
	for k, v := range a {
		if b[k] != v {
			n++
			if n <= 40 {
				t.Logf("differs: %s", k)
			}
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			n++
			t.Logf("only in the second build: %s", k)
		}
	}
	t.Logf("%d files differ", n)
}

// GuideCommands are the commands the installation guide runs on the
// live system (docs/install.md).
func GuideCommands() []string {
	return []string{"ls", "loadkeys", "timedatectl", "nmcli", "ping", "lsblk", "wipefs", "parted",
		"mkfs.fat", "mkfs.ext4", "mount", "blkid", "nano", "chroot", "passwd", "useradd", "chmod",
		"bootctl", "systemctl", "systemd-machine-id-setup", "ln", "hwclock", "recipe"}
}

// bootMatrix boots iso under SeaBIOS and OVMF, as CD and as USB stick;
// the first boot also checks the live system in depth.
func bootMatrix(t *testing.T, iso string) {
	t.Helper()
	for i, m := range []struct {
		fw    vmtest.Firmware
		media vmtest.Media
	}{{vmtest.BIOS, vmtest.CDROM}, {vmtest.UEFI, vmtest.USB}, {vmtest.BIOS, vmtest.USB}, {vmtest.UEFI, vmtest.CDROM}} {
		name := map[vmtest.Firmware]string{vmtest.BIOS: "SeaBIOS", vmtest.UEFI: "OVMF"}[m.fw] + " " + m.media.String()
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			bootAndCheck(t, vmtest.Config{ISO: iso, Firmware: m.fw, Media: m.media, KVM: vmtest.KVMAvailable()}, fullPrompt, i == 0)
		})
	}
}

// bootAndCheck boots c to the shell and checks the live overlay, the
// identity and, in depth, every command of the installation guide.
func bootAndCheck(t *testing.T, c vmtest.Config, prompt string, deep bool) {
	t.Helper()
	testutil.NeedTool(t, "qemu-system-x86_64")
	start := time.Now()
	vm, err := vmtest.Boot(t.Context(), vmtest.Options{Config: c, Ready: prompt})
	if err != nil {
		t.Fatalf("boot: %v", err)
	}
	defer vm.Close()
	t.Logf("shell after %v", time.Since(start).Round(time.Second))
	checks := []guestCheck{
		{"findmnt -n -o SOURCE,FSTYPE /", "overlay"},
		{"cat /etc/hostname", "levitateos"},
	}
	if deep {
		checks = append(checks, []guestCheck{
			{"recipe --version", "recipe version"},
			{". /etc/os-release; echo $NAME", "LevitateOS"},
			{"for c in " + strings.Join(GuideCommands(), " ") + "; do command -v $c >/dev/null || echo MISSING:$c; done; echo checked", "checked"},
		}...)
	}
	out := runGuestChecks(t, vm, checks)
	for _, f := range strings.Fields(out) {
		if m, ok := strings.CutPrefix(f, "MISSING:"); ok {
			t.Errorf("the installation guide's command %s is not on PATH in the live system", m)
		}
	}
}

// runGuestChecks runs each check's command in the guest shell; it must
// exit 0 and print the check's want. It returns all the output.
func runGuestChecks(t *testing.T, vm *vmtest.VM, checks []guestCheck) string {
	t.Helper()
	var all strings.Builder
	for _, c := range checks {
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
		all.WriteString(out)
	}
	return all.String()
}
