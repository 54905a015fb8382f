package profile

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/NAME, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// copyTree copies the profile testdata/NAME into a temporary directory,
// keeping symlinks as they are.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", name)
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		switch {
		case fi.IsDir():
			return os.MkdirAll(out, 0o755)
		case fi.Mode()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, out)
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(out, data, fi.Mode().Perm())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestLoadBrokenGolden(t *testing.T) {
	dir := copyTree(t, "broken")
	// A FIFO cannot live in the repository; make it here.
	if err := syscall.Mkfifo(filepath.Join(dir, "airootfs", "etc", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(dir)
	if p != nil {
		t.Errorf("Load(broken) returned a profile; want nil")
	}
	var ds Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("Load(broken) error = %T %v; want Diagnostics", err, err)
	}
	if n := len(ds.Errors()); n < 15 {
		t.Errorf("Load(broken) found %d errors; want at least 15", n)
	}
	sorted := slices.Clone(ds)
	sorted.Sort()
	if !slices.Equal(sorted, ds) {
		t.Errorf("Load(broken) diagnostics are not sorted")
	}
	golden(t, "broken.golden", err.Error()+"\n")
}

func TestLoadGood(t *testing.T) {
	p, err := Load(filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatalf("Load(good) = %v", err)
	}
	s := p.Settings
	checks := []struct {
		name      string
		got, want any
	}{
		{"label", s.Label, "TEST_LIVE-1"},
		{"boot modes", s.BootModes, []BootMode{UEFIGrub, BIOSGrub}},
		{"compression", s.Compression, Compression{Algo: "xz", Option: "x86"}},
		{"cmdline", s.KernelCmdline, []string{"quiet", "loglevel=3"}},
		{"verify", s.VerifySignatures, false},
		{"hostname", s.Hostname, "test-host"},
		{"os-release", s.OSRelease, []Field{{"NAME", "Test"}}},
		{"permissions", s.Permissions, []Permission{{Path: "/etc/shadow", Owner: "0", Group: "0", Mode: 0o400, Line: 9, Col: 20}}},
		{"packages", p.PackageNames(), []string{"kernel-core", "dracut", "dracut-live", "dracut-squash", "shim-x64", "grub2-efi-x64-cdboot", "grub2-pc", "grub2-pc-modules"}},
		{"warnings", p.Warnings.Error(), "profile.conf:6:21: warning: signature checking is off: packages are installed without verifying who built them"},
		{"iso name default", s.ISOName, "levitateos"},
		{"overlay", overlayPaths(p), []string{"/etc", "/etc/shadow"}},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("Load(good).%s = %#v; want %#v", c.name, c.got, c.want)
			}
		})
	}
}

func overlayPaths(p *Profile) []string {
	var out []string
	for _, e := range p.Overlay {
		out = append(out, e.Path)
	}
	return out
}

func TestLoadDefaultProfile(t *testing.T) {
	dir := filepath.Join("..", "..", "profiles", "levitate")
	if _, err := os.Stat(filepath.Join(dir, PackagesFile)); err != nil {
		t.Fatalf("default profile incomplete: %v", err)
	}
	start := time.Now()
	p, err := Load(dir)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Load(default) = %v", err)
	}
	if elapsed > 200*time.Millisecond {
		t.Errorf("Load(default) took %v; want well under a second", elapsed)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("Load(default) warnings:\n%v", p.Warnings)
	}
	for _, want := range []string{
		"/etc/motd",
		"/etc/systemd/system/getty@tty1.service.d/autologin.conf",
		"/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf",
	} {
		if !slices.Contains(overlayPaths(p), want) {
			t.Errorf("default overlay lacks %s", want)
		}
	}
	if p.Settings.Hostname != "levitateos" || p.Settings.Label != "LEVITATEOS" {
		t.Errorf("default identity = %q %q; want levitateos LEVITATEOS", p.Settings.Hostname, p.Settings.Label)
	}
}

func TestLoadMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	want := "packages.txt: no such file or directory; a profile needs a package list"
	if err == nil || err.Error() != want {
		t.Errorf("Load(empty dir) = %v; want %q", err, want)
	}
	if _, err := Load(filepath.Join(dir, "nope")); err == nil {
		t.Errorf("Load(missing dir) = nil; want an error")
	}
}

func BenchmarkLoadDefault(b *testing.B) {
	dir := filepath.Join("..", "..", "profiles", "levitate")
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
