package build

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootPath(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"run", "usr/lib", "etc"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"var/run":         "/run",        // absolute, as on Debian
		"lib":             "usr/lib",     // relative, as on Rocky
		"etc/up":          "../..",       // climbs above the root
		"etc/resolv.conf": "/run/x.conf", // last component: not followed
		"loop":            "loop",
	}
	for l, target := range links {
		p := filepath.Join(root, l)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		in, want, wantErr string
	}{
		{"/etc/motd", "etc/motd", ""},
		{"/var/run/foo", "run/foo", ""},
		{"/lib/modules/x", "usr/lib/modules/x", ""},
		{"/etc/up/etc/motd", "etc/motd", ""},
		{"/etc/up/var/run/x", "run/x", ""},
		{"/../../etc/motd", "etc/motd", ""},
		{"/etc/resolv.conf", "etc/resolv.conf", ""},
		{"/new/dir/file", "new/dir/file", ""},
		{"/loop/x", "", "too many levels"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := RootPath(root, tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Errorf("RootPath(%q) = %q; want error %q", tt.in, got, tt.wantErr)
				}
				return
			}
			if want := filepath.Join(root, tt.want); err != nil || got != want {
				t.Errorf("RootPath(%q) = %q, %v; want %q", tt.in, got, err, want)
			}
		})
	}
}
