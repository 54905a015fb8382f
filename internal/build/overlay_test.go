package build

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/levitateos/levitate/internal/profile"
)

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("this test needs root (chown) and CI is set")
		}
		t.Skip("needs root to chown")
	}
}

func TestOverlayIdentityPermissions(t *testing.T) {
	needRoot(t)
	p, err := profile.Load(defaultProfileDir)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A package's /etc/os-release symlink and an old motd are replaced.
	if err := os.Symlink("../usr/lib/os-release.d/vendor", filepath.Join(root, "etc/os-release")); err != nil {
		t.Fatal(err)
	}
	touch(t, filepath.Join(root, "etc/motd"))
	if err := os.WriteFile(filepath.Join(root, "etc/passwd"), []byte("root:x:0:0::/root:/bin/bash\nlevi:x:1000:1000::/home/levi:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/group"), []byte("root:x:0:\nwheel:x:10:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ApplyOverlay(p, root); err != nil {
		t.Fatalf("ApplyOverlay: %v", err)
	}
	if err := WriteIdentity(&p.Settings, root); err != nil {
		t.Fatalf("WriteIdentity: %v", err)
	}
	perms := append(p.Settings.Permissions, profile.Permission{Path: "/etc/hostname", Owner: "levi", Group: "wheel", Mode: 0o600, Line: 40, Col: 20})
	if err := ApplyPermissions(perms, root); err != nil {
		t.Fatalf("ApplyPermissions: %v", err)
	}
	for _, e := range p.Overlay {
		want, err := os.ReadFile(filepath.Join(p.Dir, profile.OverlayDir, e.Path))
		if e.Kind != profile.File {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, e.Path))
		if err != nil || string(got) != string(want) {
			t.Errorf("overlay %s = %q, %v; want %q", e.Path, got, err, want)
		}
	}
	if got, err := os.ReadFile(filepath.Join(root, "etc/hostname")); err != nil || string(got) != "levitateos\n" {
		t.Errorf("etc/hostname = %q, %v; want levitateos", got, err)
	}
	if got, err := os.Readlink(filepath.Join(root, "etc/os-release")); err != nil || got != profile.OSReleaseLink {
		t.Errorf("etc/os-release -> %q, %v; want %s", got, err, profile.OSReleaseLink)
	}
	if got, err := os.ReadFile(filepath.Join(root, "usr/lib/os-release")); err != nil || !strings.Contains(string(got), `NAME="LevitateOS"`) {
		t.Errorf("usr/lib/os-release = %q, %v; want NAME=\"LevitateOS\"", got, err)
	}
	fi, err := os.Lstat(filepath.Join(root, "etc/hostname"))
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 1000 || st.Gid != 10 || fi.Mode().Perm() != 0o600 {
		t.Errorf("etc/hostname owner %d:%d mode %o; want 1000:10 600", st.Uid, st.Gid, fi.Mode().Perm())
	}
}

func TestApplyPermissionsErrors(t *testing.T) {
	root := t.TempDir()
	touch(t, filepath.Join(root, "etc/passwd"))
	touch(t, filepath.Join(root, "etc/group"))
	perms := []profile.Permission{
		{Path: "/etc/a", Owner: "nobody", Group: "0", Mode: 0o644, Line: 3, Col: 20},
		{Path: "/etc/b", Owner: "0", Group: "staff", Mode: 0o644, Line: 4, Col: 20},
	}
	err := ApplyPermissions(perms, root)
	if err == nil {
		t.Fatal("ApplyPermissions(unknown names) = nil; want errors")
	}
	for _, want := range []string{`profile.conf:3:20: owner of /etc/a: no "nobody" in the root`, `profile.conf:4:20: group of /etc/b: no "staff" in the root`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ApplyPermissions = %q; want it to contain %q", err, want)
		}
	}
}
