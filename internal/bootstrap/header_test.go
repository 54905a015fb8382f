package bootstrap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
)

// testPackage is a package with one entry of each kind the records see.
func testPackage(name string) *rpm.Package {
	return &rpm.Package{
		NEVRA:   rpm.NEVRA{Name: name, EVR: rpm.EVR{Version: "1.0", Release: "1"}, Arch: "noarch"},
		Summary: "header test package " + name, License: "MIT",
		BuildTime: time.Unix(1700000000, 0), Compressor: "gzip",
		Files: []rpm.File{
			{Path: "/usr/bin/tool", Mode: rpm.ModeRegular | 0o755, Body: []byte("tool\n")},
			{Path: "/etc/tool.conf", Mode: rpm.ModeRegular | 0o644, Body: []byte("x = 1\n"), Config: true},
			{Path: "/var/log/tool.log", Mode: rpm.ModeRegular | 0o644, Ghost: true},
			{Path: "/usr/bin/t", Mode: rpm.ModeSymlink | 0o777, LinkTarget: "tool"},
			{Path: "/usr/share/tool", Mode: rpm.ModeDir | 0o755},
		},
	}
}

// writeRPM writes p into dir and returns the file and the repodata view
// of it.
func writeRPM(t testing.TB, dir string, p *rpm.Package) (string, *repo.Package) {
	t.Helper()
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, p.FileName())
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name, &repo.Package{NEVRA: p.NEVRA, Href: p.FileName(), Size: int64(b.Len())}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestHeaderFiles(t *testing.T) {
	file, pkg := writeRPM(t, t.TempDir(), testPackage("tool"))
	got, err := headerFiles(file, pkg)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]rpmFile{}
	for _, f := range got {
		byPath[f.path] = f
	}
	tests := []struct {
		path   string
		size   int64
		sha256 string
		flags  uint64
	}{
		{"/usr/bin/tool", 5, sum("tool\n"), 0},
		{"/etc/tool.conf", 6, sum("x = 1\n"), fileConfig},
		{"/var/log/tool.log", 0, sum(""), fileGhost}, // rpmpack digests the empty body
		{"/usr/bin/t", 4, "", 0},
	}
	for _, tt := range tests {
		f, ok := byPath[tt.path]
		if !ok {
			t.Errorf("headerFiles(%s) lacks %s: %+v", file, tt.path, got)
			continue
		}
		if f.size != tt.size || f.sha256 != tt.sha256 || f.flags&(fileConfig|fileGhost) != tt.flags {
			t.Errorf("headerFiles: %s = %+v; want size %d, sha256 %q, flags %d", tt.path, f, tt.size, tt.sha256, tt.flags)
		}
	}
	if _, ok := byPath["/usr/share/tool"]; !ok || len(got) != 5 {
		t.Errorf("headerFiles = %d entries %+v; want 5 with the directory", len(got), got)
	}

	empty := testPackage("empty")
	empty.Files = nil
	file, pkg = writeRPM(t, t.TempDir(), empty)
	if got, err := headerFiles(file, pkg); err != nil || len(got) != 0 {
		t.Errorf("headerFiles(package without files) = %v, %v; want none", got, err)
	}
}

func TestHeaderFilesRefuses(t *testing.T) {
	dir := t.TempDir()
	good, pkg := writeRPM(t, dir, testPackage("tool"))
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// A changed byte in the main header: its digest in the signature
	// header no longer matches.
	damaged := bytes.Clone(data)
	i := bytes.Index(damaged, []byte("header test package"))
	if i < 0 {
		t.Fatal("summary not found in the package file")
	}
	damaged[i] = 'H'
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other := *pkg
	other.Name = "other"
	tests := []struct {
		name string
		file string
		pkg  *repo.Package
		want string
	}{
		{"another package", good, &other, "the header names tool.noarch"},
		{"damaged header", write("damaged.rpm", damaged), pkg, "damaged.rpm"},
		{"not an rpm", write("text.rpm", []byte("hello, world\n")), pkg, "text.rpm"},
		{"missing", filepath.Join(dir, "missing.rpm"), pkg, "missing.rpm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := headerFiles(tt.file, tt.pkg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("headerFiles(%s) = %v, %v; want an error with %q", tt.file, got, err, tt.want)
			}
		})
	}
}

func TestFileLists(t *testing.T) {
	dir := t.TempDir()
	var files []string
	var pkgs []*repo.Package
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		f, p := writeRPM(t, dir, testPackage(n))
		files, pkgs = append(files, f), append(pkgs, p)
	}
	got, err := fileLists(context.Background(), pkgs, files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		if n := len(got[p]); n != 5 {
			t.Errorf("fileLists: %s has %d files; want 5", p.Name, n)
		}
	}

	// Every bad package is reported, in a stable order.
	bad := []string{files[0], filepath.Join(dir, "gone-2.rpm"), files[2], filepath.Join(dir, "gone-1.rpm"), files[4]}
	_, err = fileLists(context.Background(), pkgs, bad)
	if err == nil {
		t.Fatal("fileLists(two missing files) = nil error")
	}
	msg := err.Error()
	i1, i2 := strings.Index(msg, "gone-1.rpm"), strings.Index(msg, "gone-2.rpm")
	if i1 < 0 || i2 < 0 || i1 > i2 {
		t.Errorf("fileLists error = %q; want gone-1.rpm, then gone-2.rpm", msg)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fileLists(ctx, pkgs, files); !errors.Is(err, context.Canceled) {
		t.Errorf("fileLists(cancelled) = %v; want context.Canceled", err)
	}
}
