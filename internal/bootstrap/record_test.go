package bootstrap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	target := t.TempDir()
	for _, d := range []string{"usr/lib64", "usr/bin", "opt/real"} {
		if err := os.MkdirAll(filepath.Join(target, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{"lib64": "usr/lib64", "bin": "/usr/bin", "opt/alias": "real", "opt/chain": "alias", "escape": "../../.."}
	for l, to := range links {
		if err := os.Symlink(to, filepath.Join(target, l)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ in, want string }{
		{"usr/bin/sh", "usr/bin/sh"},
		{"lib64/ld.so", "usr/lib64/ld.so"},
		{"bin/sh", "usr/bin/sh"},
		{"bin", "bin"}, // the link itself is recorded as a link
		{"opt/chain/x", "opt/real/x"},
		{"escape/x", "escape/x"},
		{"top", "top"},
	}
	for _, tt := range tests {
		if got := canonical(target, tt.in); got != tt.want {
			t.Errorf("canonical(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	out := []byte("tiny-base\t8\t0\t5\t" + sum + "\t/usr/bin/tiny-base\ntiny-base\t8\t1\t4\t\t/etc/tiny.conf\nmeta\t(none)\t(none)\t(none)\t(none)\t(none)\nghosty\t1\t64\t0\t\t/var/log/x\n")
	got, err := parseQuery(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got["tiny-base"]); n != 2 {
		t.Errorf("tiny-base files = %d; want 2", n)
	}
	if f := got["tiny-base"][0]; f.sha256 != sum || f.size != 5 {
		t.Errorf("file = %+v; want the header's sha256 and size 5", f)
	}
	if f := got["tiny-base"][1]; f.path != "/etc/tiny.conf" || f.flags&fileConfig == 0 || f.sha256 != "" {
		t.Errorf("config file = %+v; want /etc/tiny.conf with the config flag and no digest", f)
	}
	if f := got["ghosty"][0]; f.sha256 != "" {
		t.Errorf("md5-era file = %+v; want no sha256 (another algorithm)", f)
	}
	if _, ok := got["meta"]; ok {
		t.Error("a package without files has entries")
	}
	if _, err := parseQuery([]byte("broken line\n")); err == nil {
		t.Error("parseQuery(broken) = nil error; want one")
	}
}
