package rpm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

func samplePackage() *Package {
	return &Package{
		NEVRA:       NEVRA{Name: "demo", EVR: EVR{Epoch: 1, Version: "2.0~rc1", Release: "3"}, Arch: "noarch"},
		Summary:     "demo package",
		Description: "A package with <angle> & ampersand.",
		License:     "MIT",
		URL:         "https://example.org/demo",
		BuildTime:   time.Unix(1700000000, 0),
		Requires: []Dep{
			{Name: "/bin/sh", Flags: FlagScriptPre},
			{Name: "libfoo", Flags: FlagGreater | FlagEqual, EVR: EVR{Version: "1.2", Release: "1"}},
			{Name: "(bar or baz >= 2)"},
		},
		Provides:  []Dep{{Name: "demo-virtual", Flags: FlagEqual, EVR: EVR{Version: "7"}}},
		Conflicts: []Dep{{Name: "olddemo", Flags: FlagLess, EVR: EVR{Version: "1"}}},
		Obsoletes: []Dep{{Name: "demo-legacy"}},
		Files: []File{
			{Path: "/usr/bin/demo", Mode: ModeRegular | 0o4755, Body: []byte("#!/bin/sh\necho demo\n"), MTime: 1700000000},
			{Path: "/etc/demo.conf", Mode: ModeRegular | 0o640, Body: []byte("x=1\n"), Group: "adm", Config: true, MTime: 1700000000},
			{Path: "/usr/share/demo", Mode: ModeDir | 0o755, MTime: 1700000000},
			{Path: "/usr/share/demo/link", Mode: ModeSymlink | 0o777, LinkTarget: "../../bin/demo", MTime: 1700000000},
			{Path: "/var/log/demo.log", Mode: ModeRegular | 0o600, Ghost: true, MTime: 1700000000},
		},
		Scripts: Scripts{Pre: "echo pre\n", Post: "echo post\n"},
	}
}

func writeFile(t testing.TB, dir string, p *Package) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		t.Fatalf("Write(%s): %v", p.NEVRA, err)
	}
	path := filepath.Join(dir, p.FileName())
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriteReadRoundTrip(t *testing.T) {
	p := samplePackage()
	path := writeFile(t, t.TempDir(), p)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := ReadHeader(f)
	if err != nil {
		t.Fatalf("ReadHeader: %v", err)
	}
	if h.NEVRA != p.NEVRA {
		t.Errorf("NEVRA = %v; want %v", h.NEVRA, p.NEVRA)
	}
	if h.Summary != p.Summary || h.License != p.License || h.URL != p.URL || h.BuildTime != p.BuildTime.Unix() {
		t.Errorf("descriptive tags = %q %q %q %d; want %q %q %q %d", h.Summary, h.License, h.URL, h.BuildTime, p.Summary, p.License, p.URL, p.BuildTime.Unix())
	}
	var reqs []Dep
	for _, d := range h.Requires {
		if !d.IsRPMLib() {
			reqs = append(reqs, d)
		}
	}
	if !reflect.DeepEqual(reqs, p.Requires) {
		t.Errorf("Requires = %v; want %v", reqs, p.Requires)
	}
	wantProv := append([]Dep{{Name: "demo", Flags: FlagEqual, EVR: p.EVR}}, p.Provides...)
	if !reflect.DeepEqual(h.Provides, wantProv) {
		t.Errorf("Provides = %v; want %v", h.Provides, wantProv)
	}
	if !reflect.DeepEqual(h.Conflicts, p.Conflicts) || !reflect.DeepEqual(h.Obsoletes, p.Obsoletes) {
		t.Errorf("Conflicts, Obsoletes = %v, %v; want %v, %v", h.Conflicts, h.Obsoletes, p.Conflicts, p.Obsoletes)
	}
	got := map[string]FileEntry{}
	for _, f := range h.Files {
		got[f.Path] = f
	}
	for _, want := range p.Files {
		g, ok := got[want.Path]
		if !ok {
			t.Errorf("file %s missing from header", want.Path)
			continue
		}
		if g.Mode != want.Mode {
			t.Errorf("file %s mode = %o; want %o", want.Path, g.Mode, want.Mode)
		}
		if want.IsSymlink() && g.LinkTarget != want.LinkTarget {
			t.Errorf("file %s link = %q; want %q", want.Path, g.LinkTarget, want.LinkTarget)
		}
		if g.IsConfig() != want.Config || g.IsGhost() != want.Ghost {
			t.Errorf("file %s config, ghost = %v, %v; want %v, %v", want.Path, g.IsConfig(), g.IsGhost(), want.Config, want.Ghost)
		}
	}
	if g := got["/etc/demo.conf"]; g.Group != "adm" || g.Owner != "root" {
		t.Errorf("/etc/demo.conf owner = %s:%s; want root:adm", g.Owner, g.Group)
	}
}

func TestWriteDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	p := samplePackage()
	if err := p.Write(&a); err != nil {
		t.Fatal(err)
	}
	q := samplePackage()
	slices.Reverse(q.Files)
	if err := q.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two writes of the same package (files in another order) differ: %d and %d bytes", a.Len(), b.Len())
	}
}

func TestWriteRejects(t *testing.T) {
	tests := map[string]func(*Package){
		"empty name":        func(p *Package) { p.Name = "" },
		"hyphen in version": func(p *Package) { p.Version = "1-2" },
		"empty release":     func(p *Package) { p.Release = "" },
		"relative path":     func(p *Package) { p.Files[0].Path = "usr/bin/x" },
		"duplicate path":    func(p *Package) { p.Files[1].Path = p.Files[0].Path },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			p := samplePackage()
			mutate(p)
			if err := p.Write(&bytes.Buffer{}); err == nil {
				t.Errorf("Write(%s) = nil; want an error", name)
			}
		})
	}
}

// TestRealRPMAccepts checks our files with rpm itself.
func TestRealRPMAccepts(t *testing.T) {
	rpmBin := testutil.NeedTool(t, "rpm")
	p := samplePackage()
	path := writeFile(t, t.TempDir(), p)
	out, err := exec.Command(rpmBin, "-K", "--nosignature", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "digests OK") {
		t.Fatalf("rpm -K --nosignature = %q, %v; want digests OK", out, err)
	}
	out, err = exec.Command(rpmBin, "-qp", "--requires", path).CombinedOutput()
	if err != nil {
		t.Fatalf("rpm -qp --requires: %v\n%s", err, out)
	}
	for _, d := range p.Requires {
		if !strings.Contains(string(out), d.String()+"\n") {
			t.Errorf("rpm -qp --requires = %q; want a line %q", out, d.String())
		}
	}
	out, err = exec.Command(rpmBin, "-qp", "--qf", "%{nevra}\n", path).CombinedOutput()
	if got := strings.TrimSpace(string(out)); err != nil || got != p.NEVRA.String() {
		t.Errorf("rpm -qp --qf %%{nevra} = %q, %v; want %q", got, err, p.NEVRA.String())
	}
	out, err = exec.Command(rpmBin, "-qlvp", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-rwsr-xr-x") || !strings.Contains(string(out), "/usr/share/demo/link -> ../../bin/demo") {
		t.Errorf("rpm -qlvp = %q, %v; want a setuid /usr/bin/demo and the symlink", out, err)
	}
}

// TestRealRPMInstall installs into a scratch root with real rpm, so the
// payload, modes, scriptlets and config flags are checked by the consumer.
func TestRealRPMInstall(t *testing.T) {
	rpmBin := testutil.NeedTool(t, "rpm")
	dir := t.TempDir()
	p := samplePackage()
	p.Requires = nil
	p.Files[1].Group = "root"
	p.Scripts.Post = "echo post-ran > /tmp-post-marker 2>/dev/null || true\n"
	path := writeFile(t, dir, p)
	root := filepath.Join(dir, "root")
	out, err := exec.Command(rpmBin, "--root", root, "--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--noscripts", path).CombinedOutput()
	if err != nil {
		t.Fatalf("rpm -i: %v\n%s", err, out)
	}
	fi, err := os.Lstat(filepath.Join(root, "usr/bin/demo"))
	if err != nil || fi.Mode()&os.ModeSetuid == 0 {
		t.Fatalf("installed /usr/bin/demo = %v, %v; want setuid", fi, err)
	}
	target, err := os.Readlink(filepath.Join(root, "usr/share/demo/link"))
	if err != nil || target != "../../bin/demo" {
		t.Errorf("installed link = %q, %v; want ../../bin/demo", target, err)
	}
	out, err = exec.Command(rpmBin, "--root", root, "--dbpath", "/var/lib/rpm", "-V", "demo").CombinedOutput()
	if err != nil && !strings.Contains(string(out), "demo.log") {
		t.Errorf("rpm -V demo = %q, %v; want clean (the ghost may be missing)", out, err)
	}
}
