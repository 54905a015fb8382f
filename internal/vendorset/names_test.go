package vendorset

import (
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

func debPkg(name, ver string) converted {
	e, _ := debEVR(ver, true)
	return converted{Deb: name, Pkg: &rpm.Package{NEVRA: rpm.NEVRA{Name: name, EVR: e, Arch: "x86_64"}}}
}

func TestApplyNames(t *testing.T) {
	table := `# test
kernel          linux-image-amd64
kernel-core     linux-image-[0-9]*-amd64
kernel-modules  linux-image-[0-9]*-amd64
util-linux      util-linux util-linux-extra
shadow-utils    passwd
passwd          passwd
`
	rules, err := parseNameTable(strings.NewReader(table), "names.txt")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := []converted{
		debPkg("linux-image-amd64", "6.1.176-1"),
		debPkg("linux-image-6.1.0-50-amd64", "6.1.176-1"),
		debPkg("util-linux", "2.38.1-5+deb12u3"),
		debPkg("util-linux-extra", "2.38.1-5+deb12u3"),
		debPkg("passwd", "1:4.13+dfsg1-1"),
		debPkg("bash", "5.2.15-2+b9"),
	}
	metas, err := applyNames(rules, pkgs)
	if err != nil {
		t.Fatalf("applyNames: %v", err)
	}
	names := map[string]string{}
	for _, c := range pkgs {
		names[c.Deb] = c.Pkg.Name
	}
	want := map[string]string{
		"linux-image-amd64": "kernel", "linux-image-6.1.0-50-amd64": "kernel-core",
		"util-linux": "util-linux", "util-linux-extra": "util-linux-extra",
		"passwd": "shadow-utils", "bash": "bash",
	}
	for deb, w := range want {
		if names[deb] != w {
			t.Errorf("Debian %s named %q; want %q", deb, names[deb], w)
		}
	}
	core := pkgs[1].Pkg
	if !hasDep(core.Provides, "linux-image-6.1.0-50-amd64 = 6.1.176-1") {
		t.Errorf("kernel-core provides = %v; want its Debian name", core.Provides)
	}
	if !hasDep(pkgs[2].Pkg.Requires, "util-linux-extra = 2.38.1-5+deb12u3") {
		t.Errorf("util-linux requires = %v; want util-linux-extra", pkgs[2].Pkg.Requires)
	}
	byName := map[string]*rpm.Package{}
	for _, m := range metas {
		byName[m.Name] = m
	}
	if m := byName["kernel-modules"]; m == nil || !hasDep(m.Requires, "kernel-core = 6.1.176-1") {
		t.Errorf("meta kernel-modules = %+v; want one that requires kernel-core", m)
	}
	if m := byName["passwd"]; m == nil || !hasDep(m.Requires, "shadow-utils = 1:4.13+dfsg1-1") {
		t.Errorf("meta passwd = %+v; want one that requires shadow-utils", m)
	}
	if len(metas) != 2 {
		t.Errorf("applyNames made %d meta packages; want 2 (kernel-modules, passwd)", len(metas))
	}
}

func TestApplyNamesErrors(t *testing.T) {
	table := "kernel linux-image-amd64\nkernel-core no-such-*\nbash coreutils\n"
	rules, err := parseNameTable(strings.NewReader(table), "names.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, err = applyNames(rules, []converted{debPkg("linux-image-amd64", "1-1"), debPkg("bash", "5-1"), debPkg("coreutils", "9-1")})
	if err == nil || !strings.Contains(err.Error(), "names.txt:2:1") || !strings.Contains(err.Error(), "names.txt:3:1") {
		t.Errorf("applyNames = %v; want errors at names.txt:2:1 (no match) and names.txt:3:1 (bash is another package)", err)
	}
}

func TestParseNameTableErrors(t *testing.T) {
	_, err := parseNameTable(strings.NewReader("a\nb x\nb y\nc [\n"), "t.txt")
	for _, want := range []string{"t.txt:1:1", "t.txt:3:1", "t.txt:4:1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseNameTable = %v; want an error at %s", err, want)
		}
	}
}

// TestEmbeddedTables checks the shipped tables parse and that every Rocky
// name in the default profile is either mapped or a name Debian shares.
func TestEmbeddedTables(t *testing.T) {
	rules, err := parseNameTable(strings.NewReader(string(RockyNames)), "rocky-names.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseList(DebianPackages, "debian-packages.txt"); err != nil {
		t.Fatal(err)
	}
	if len(rules) < 10 {
		t.Errorf("rocky-names.txt has %d rules; want the profile's names", len(rules))
	}
}

func hasDep(deps []rpm.Dep, s string) bool {
	for _, d := range deps {
		if d.String() == s {
			return true
		}
	}
	return false
}
