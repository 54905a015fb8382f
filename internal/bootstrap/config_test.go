package bootstrap

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name, in string
		repos    []string
		errs     []string
	}{
		{"empty", "", nil, nil},
		{"repos", "# medium\nrepo = /run/initramfs/live/repo\n\n  repo=https://example.org/os  \n", []string{"/run/initramfs/live/repo", "https://example.org/os"}, nil},
		{"errors", "repo = /a\nmirror = x\n  nonsense\nrepo =\n", []string{"/a"}, []string{
			`c.conf:2:1: unknown key "mirror"`, `c.conf:3:3: want KEY = VALUE, got "nonsense"`, "c.conf:4:1: repo needs a path or URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(strings.NewReader(tt.in), "c.conf")
			if !slices.Equal(c.Repos, tt.repos) {
				t.Errorf("ParseConfig(%q).Repos = %q; want %q", tt.in, c.Repos, tt.repos)
			}
			if tt.errs == nil && err != nil {
				t.Errorf("ParseConfig(%q) error = %v; want none", tt.in, err)
			}
			for _, w := range tt.errs {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("ParseConfig(%q) error = %v; want it to contain %q", tt.in, err, w)
				}
			}
		})
	}
}

func TestLoadConfigMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.conf")
	if _, err := LoadConfig(missing, true); err != nil {
		t.Errorf("LoadConfig(missing, true) = %v; want nil", err)
	}
	if _, err := LoadConfig(missing, false); err == nil {
		t.Error("LoadConfig(missing, false) = nil; want an error")
	}
	p := filepath.Join(t.TempDir(), "r.conf")
	if err := os.WriteFile(p, []byte("repo = /x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := LoadConfig(p, false); err != nil || !slices.Equal(c.Repos, []string{"/x"}) {
		t.Errorf("LoadConfig(%s) = %v, %v; want [/x]", p, c.Repos, err)
	}
}
