package rpm

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

// testRepo writes a few packages into dir/Packages and returns their
// repodata entries.
func testRepo(t *testing.T, dir string) []RepoPackage {
	t.Helper()
	lib := &Package{
		NEVRA:   NEVRA{Name: "libfoo", EVR: EVR{Version: "1.3", Release: "2"}, Arch: "x86_64"},
		Summary: "foo library", License: "MIT",
		Provides: []Dep{{Name: "libfoo.so.1()(64bit)"}},
		Files:    []File{{Path: "/usr/lib64/libfoo.so.1", Mode: ModeRegular | 0o755, Body: []byte("lib")}},
	}
	bar := &Package{
		NEVRA:   NEVRA{Name: "bar", EVR: EVR{Version: "2", Release: "1"}, Arch: "noarch"},
		Summary: "bar", License: "MIT",
		Files: []File{{Path: "/usr/sbin/bar", Mode: ModeRegular | 0o755, Body: []byte("bar")}},
	}
	var out []RepoPackage
	for _, p := range []*Package{samplePackage(), lib, bar} {
		sub := filepath.Join(dir, "Packages", p.Name[:1])
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		path := writeFile(t, sub, p)
		e, err := ScanPackage(path, "Packages/"+p.Name[:1]+"/"+filepath.Base(path), 1700000000)
		if err != nil {
			t.Fatalf("ScanPackage: %v", err)
		}
		out = append(out, e)
	}
	return out
}

func TestWriteRepodataDeterministic(t *testing.T) {
	dir := t.TempDir()
	entries := testRepo(t, dir)
	read := func() []byte {
		b, err := os.ReadFile(filepath.Join(dir, "repodata", "repomd.xml"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if err := WriteRepodata(dir, entries, RepoOptions{Revision: 1700000000}); err != nil {
		t.Fatal(err)
	}
	first := read()
	rev := []RepoPackage{entries[2], entries[0], entries[1]}
	if err := WriteRepodata(dir, rev, RepoOptions{Revision: 1700000000}); err != nil {
		t.Fatal(err)
	}
	if second := read(); !bytes.Equal(first, second) {
		t.Errorf("repomd.xml differs when packages come in another order:\n%s\n%s", first, second)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "repodata", "*"))
	if len(files) != 3 {
		t.Errorf("repodata has %v; want repomd.xml, primary and filelists only", files)
	}
	prim, _ := filepath.Glob(filepath.Join(dir, "repodata", "*-primary.xml.gz"))
	if len(prim) != 1 {
		t.Fatalf("primary files = %v", prim)
	}
	f, err := os.Open(prim[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := io.ReadAll(zr)
	for _, want := range []string{
		`<rpm:entry name="libfoo" flags="GE" epoch="0" ver="1.2" rel="1"/>`,
		`<rpm:entry name="(bar or baz &gt;= 2)"/>`,
		`<rpm:entry name="/bin/sh" pre="1"/>`,
		`A package with &lt;angle&gt; &amp; ampersand.`,
		`<file>/usr/sbin/bar</file>`,
	} {
		if !strings.Contains(string(x), want) {
			t.Errorf("primary.xml lacks %s", want)
		}
	}
	if strings.Contains(string(x), "rpmlib(") || strings.Contains(string(x), "/usr/lib64/libfoo.so.1") {
		t.Errorf("primary.xml lists rpmlib() requirements or non-primary files")
	}
}

func TestWriteRepodataRejects(t *testing.T) {
	dir := t.TempDir()
	e := testRepo(t, dir)
	for name, bad := range map[string][]RepoPackage{
		"absolute": {{Header: e[0].Header, Href: "/abs.rpm"}},
		"escape":   {{Header: e[0].Header, Href: "../x.rpm"}},
		"twice":    {e[0], e[0]},
	} {
		if err := WriteRepodata(dir, bad, RepoOptions{}); err == nil {
			t.Errorf("WriteRepodata(%s) = nil; want an error", name)
		}
	}
}

// TestRepodataMatchesCreaterepo compares what dnf reads from our repodata
// with what it reads from createrepo_c's for the same files.
func TestRepodataMatchesCreaterepo(t *testing.T) {
	dnf := testutil.NeedTool(t, "dnf")
	createrepo := testutil.NeedTool(t, "createrepo_c")
	ours := t.TempDir()
	entries := testRepo(t, ours)
	if err := WriteRepodata(ours, entries, RepoOptions{Revision: 1700000000}); err != nil {
		t.Fatal(err)
	}
	theirs := t.TempDir()
	if out, err := exec.Command("cp", "-a", filepath.Join(ours, "Packages"), theirs).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	if out, err := exec.Command(createrepo, theirs).CombinedOutput(); err != nil {
		t.Fatalf("createrepo_c: %v\n%s", err, out)
	}
	query := func(repo string, args ...string) string {
		argv := append([]string{"-q", "--setopt=reposdir=/dev/null", "--setopt=cachedir=" + t.TempDir(),
			"--releasever=10", "--installroot=" + t.TempDir(), "--repofrompath=t," + repo, "--repo=t", "repoquery"}, args...)
		out, err := exec.Command(dnf, argv...).CombinedOutput()
		if err != nil {
			t.Fatalf("dnf %v: %v\n%s", argv, err, out)
		}
		return string(out)
	}
	// One query per repository keeps this test fast: dnf starts slowly.
	all := "%{name} %{epoch} %{version} %{release} %{arch} %{summary} %{license}\n" +
		"R %{requires}\nP %{provides}\nC %{conflicts}\nO %{obsoletes}\nF %{files}"
	for _, q := range [][]string{
		{"--qf", all},
		{"--qf", "%{name}", "--whatprovides", "/usr/sbin/bar"},
	} {
		a, b := query(ours, q...), query(theirs, q...)
		if a != b {
			t.Errorf("dnf repoquery %v: ours\n%s\ncreaterepo_c's\n%s", q, a, b)
		}
		if !strings.Contains(a, "bar") {
			t.Errorf("dnf repoquery %v = %q; want bar in it", q, a)
		}
	}
}
