package vendorset

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

const fakeStatus = `Package: tool
Status: install ok installed
Version: 1:2.0-3
Architecture: amd64
Pre-Depends: libc6
Depends: libx (>= 1.0), a | b (<< 2)
Provides: tool-virtual (= 2.0)
Conffiles:
 /etc/tool.conf 0123456789abcdef
 /etc/gone.conf 0123456789abcdef obsolete
Description: a tool
 The long description.
 .
 Second paragraph.

Package: libx
Status: install ok installed
Multi-Arch: same
Version: 1.0-1
Architecture: amd64
Description: a library

Package: removed
Status: deinstall ok config-files
Version: 1.0
Architecture: all
Description: not installed
`

// fakeRoot makes a tiny installed tree: merged /usr, a conffile, a
// diversion, files that "maintainer scripts" created and files to skip.
func fakeRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write := func(p, body string, mode os.FileMode) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	link := func(p, target string) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	write("usr/bin/tool", "#!/bin/sh\n", 0o755)
	write("usr/bin/tool.real", "diverted\n", 0o755)
	link("bin", "usr/bin")
	write("usr/lib/x86_64-linux-gnu/libx.so.1", "lib\n", 0o644)
	write("etc/tool.conf", "a=1\n", 0o644)
	write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n", 0o644)
	write("etc/group", "root:x:0:\nshadow:x:42:\n", 0o644)
	write("etc/shadow", "root:*:19000:0:99999:7:::\nsys:*:19001:0:99999:7:::\n", 0o640)
	link("etc/alternatives/editor", "/usr/bin/tool")
	write("etc/machine-id", "0123\n", 0o444)
	link("etc/localtime", "/usr/share/zoneinfo/Etc/UTC")
	write("var/log/junk.log", "log\n", 0o644)
	write("var/lib/dpkg/status", fakeStatus, 0o644)
	write("var/lib/dpkg/info/tool.list", "/.\n/bin\n/bin/tool\n/bin/other\n/etc\n/etc/tool.conf\n", 0o644)
	write("var/lib/dpkg/info/libx:amd64.list", "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu/libx.so.1\n", 0o644)
	write("var/lib/dpkg/diversions", "/bin/other\n/usr/bin/tool.real\nlibx\n", 0o644)
	if os.Geteuid() == 0 {
		if err := os.Chown(filepath.Join(root, "etc/shadow"), 0, 42); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestCutTree(t *testing.T) {
	root := fakeRoot(t)
	tr, err := openTree(root, 1700000000)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cutTree(tr)
	if err != nil {
		t.Fatalf("cutTree: %v", err)
	}
	if len(res.Packages) != 2 || res.Packages[0].Deb != "libx" || res.Packages[1].Deb != "tool" {
		t.Fatalf("cutTree packages = %v; want libx, tool", res.Packages)
	}
	tool := res.Packages[1].Pkg
	if got, want := tool.NEVRA.String(), "tool-1:2.0-3.x86_64"; got != want {
		t.Errorf("tool NEVRA = %s; want %s", got, want)
	}
	if tool.Summary != "a tool" || !strings.Contains(tool.Description, "Second paragraph.") {
		t.Errorf("tool summary, description = %q, %q", tool.Summary, tool.Description)
	}
	var reqs []string
	for _, d := range tool.Requires {
		reqs = append(reqs, d.String())
	}
	if want := []string{"libc6", "libx >= 1.0", "(a or b < 2)"}; !reflect.DeepEqual(reqs, want) {
		t.Errorf("tool requires = %q; want %q", reqs, want)
	}
	if tool.Requires[0].Flags&rpm.FlagScriptPre == 0 {
		t.Errorf("Pre-Depends libc6 flags = %#x; want Requires(pre)", uint32(tool.Requires[0].Flags))
	}
	if len(tool.Provides) != 1 || tool.Provides[0].String() != "tool-virtual = 2.0" {
		t.Errorf("tool provides = %v; want tool-virtual = 2.0", tool.Provides)
	}
	files := map[string]rpm.File{}
	for _, f := range tool.Files {
		files[f.Path] = f
	}
	if _, ok := files["/bin"]; ok {
		t.Errorf("tool owns /bin; the merged-/usr link belongs to setup")
	}
	for _, p := range []string{"/usr/bin/tool", "/usr/bin/tool.real", "/etc", "/etc/tool.conf"} {
		if _, ok := files[p]; !ok {
			t.Errorf("tool files = %v; want %s", keys(files), p)
		}
	}
	if !files["/etc/tool.conf"].Config || files["/usr/bin/tool"].Config {
		t.Errorf("config flags: tool.conf %v, tool %v; want true, false", files["/etc/tool.conf"].Config, files["/usr/bin/tool"].Config)
	}
	if m := files["/usr/bin/tool"].MTime; m > 1700000000 {
		t.Errorf("mtime = %d; want clamped to 1700000000", m)
	}

	setup := map[string]rpm.File{}
	for _, f := range res.Setup.Files {
		setup[f.Path] = f
	}
	for _, p := range []string{"/bin", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/alternatives/editor", "/usr/bin"} {
		if _, ok := setup[p]; !ok {
			t.Errorf("setup files = %v; want %s", keys(setup), p)
		}
	}
	// Rocky's setup marks its /etc files %config(noreplace); links and
	// files elsewhere are not config.
	if !setup["/etc/passwd"].Config || !setup["/etc/shadow"].Config || setup["/etc/alternatives/editor"].Config || setup["/bin"].Config {
		t.Errorf("setup config flags: passwd %v, shadow %v, alternatives link %v, /bin %v; want true, true, false, false",
			setup["/etc/passwd"].Config, setup["/etc/shadow"].Config, setup["/etc/alternatives/editor"].Config, setup["/bin"].Config)
	}
	for _, p := range []string{"/etc/machine-id", "/etc/localtime", "/var/log/junk.log", "/var/lib/dpkg/status", "/usr/bin/tool", "/etc/tool.conf"} {
		if _, ok := setup[p]; ok {
			t.Errorf("setup owns %s; want it left out", p)
		}
	}
	if l := setup["/bin"]; !l.IsSymlink() || l.LinkTarget != "usr/bin" {
		t.Errorf("setup /bin = %+v; want a symlink to usr/bin", l)
	}
	if os.Geteuid() == 0 {
		if g := setup["/etc/shadow"].Group; g != "shadow" {
			t.Errorf("/etc/shadow group = %q; want shadow", g)
		}
	}
}

func TestNormalizerShadow(t *testing.T) {
	n := normalizer(86400 * 20000)
	got := string(n("/etc/shadow", []byte("root:*:19000:0:99999:7:::\nnobody:*::0:99999:7:::\n")))
	if want := "root:*:20000:0:99999:7:::\nnobody:*::0:99999:7:::\n"; got != want {
		t.Errorf("normalize /etc/shadow = %q; want %q", got, want)
	}
	if got := string(n("/etc/other", []byte("a:b:1"))); got != "a:b:1" {
		t.Errorf("normalize /etc/other = %q; want it unchanged", got)
	}
}

func TestResolve(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"usr/bin", "usr/lib", "opt/real"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for l, target := range map[string]string{"bin": "usr/bin", "lib": "/usr/lib", "opt/alias": "../opt/real", "loop": "loop"} {
		if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
			t.Fatal(err)
		}
	}
	tr := &tree{root: root}
	tests := map[string]string{
		"/bin/sh":           "/usr/bin/sh",
		"/bin":              "/bin",
		"/lib/x/y.so":       "/usr/lib/x/y.so",
		"/opt/alias/f":      "/opt/real/f",
		"/usr/bin/../lib/z": "/usr/lib/z",
		"/etc/passwd":       "/etc/passwd",
	}
	for in, want := range tests {
		if got, err := tr.resolve(in); err != nil || got != want {
			t.Errorf("resolve(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := tr.resolve("/loop/x"); err == nil {
		t.Errorf("resolve(/loop/x) = %q, nil; want a too-many-symlinks error", got)
	}
}

func keys(m map[string]rpm.File) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
