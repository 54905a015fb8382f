package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseConf checks that any profile.conf parses without panicking,
// that every diagnostic points into the input, and that accepted values
// pass their own checks.
func FuzzParseConf(f *testing.F) {
	for _, p := range []string{"testdata/good/profile.conf", "testdata/broken/profile.conf", "../../profiles/levitate/profile.conf"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("label = A B\nos-release.X = y\n=\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		s := DefaultSettings()
		var ds Diagnostics
		parseConf(dir, data, &s, diags{list: &ds, file: ConfFile})
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, d := range ds {
			if d.Line < 0 || d.Line > lines || d.Line > 0 && d.Col < 1 {
				t.Errorf("diagnostic %q outside the %d-line input", d, lines)
			}
		}
		if err := CheckLabel(s.Label); err != nil {
			t.Errorf("accepted label %q: %v", s.Label, err)
		}
		for _, p := range s.Permissions {
			if filepath.Clean(p.Path) != p.Path || p.Path[0] != '/' {
				t.Errorf("accepted permission path %q", p.Path)
			}
		}
	})
}

// FuzzParsePackages checks that accepted names hold only valid characters
// and are unique.
func FuzzParsePackages(f *testing.F) {
	for _, p := range []string{"testdata/good/packages.txt", "testdata/broken/packages.txt"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ds Diagnostics
		pkgs := parsePackages(data, diags{list: &ds, file: PackagesFile})
		seen := map[string]bool{}
		for _, p := range pkgs {
			if badPackageChar(p.Name) >= 0 || p.Name == "" || seen[p.Name] {
				t.Errorf("accepted package name %q", p.Name)
			}
			seen[p.Name] = true
		}
	})
}
