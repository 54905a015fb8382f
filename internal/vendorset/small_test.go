package vendorset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

func smallTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := WriteSmallTree(context.Background(), dir); err != nil {
		t.Fatalf("WriteSmallTree: %v", err)
	}
	return dir
}

func TestSmallTreeLayout(t *testing.T) {
	dir := smallTree(t)
	for _, p := range []string{".treeinfo", ".discinfo", "media.repo", "Minimal/repodata/repomd.xml"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("small tree: %v", err)
		}
	}
	rpms, _ := filepath.Glob(filepath.Join(dir, "Minimal/Packages/*/*.rpm"))
	if len(rpms) != len(SmallPackages()) {
		t.Errorf("small tree has %d rpm files; want %d", len(rpms), len(SmallPackages()))
	}
	for _, r := range rpms {
		letter := filepath.Base(filepath.Dir(r))
		if want := strings.ToLower(filepath.Base(r)[:1]); letter != want {
			t.Errorf("%s is in Packages/%s; want Packages/%s", filepath.Base(r), letter, want)
		}
	}
}

// TestSmallRPMTool checks every small package with real rpm.
func TestSmallRPMTool(t *testing.T) {
	rpmBin := testutil.NeedTool(t, "rpm")
	dir := smallTree(t)
	rpms, _ := filepath.Glob(filepath.Join(dir, "Minimal/Packages/*/*.rpm"))
	out, err := exec.Command(rpmBin, append([]string{"-K", "--nosignature"}, rpms...)...).CombinedOutput()
	if err != nil || strings.Count(string(out), "digests OK") != len(rpms) {
		t.Fatalf("rpm -K --nosignature = %v\n%s", err, out)
	}
	app := filepath.Join(dir, "Minimal/Packages/t/tiny-app-1.0-1.noarch.rpm")
	out, err = exec.Command(rpmBin, "-qp", "--requires", app).CombinedOutput()
	if err != nil {
		t.Fatalf("rpm -qp --requires: %v\n%s", err, out)
	}
	for _, want := range []string{"tiny-lib >= 2:1.0", "(tiny-cli or tiny-gui)", "/usr/bin/tiny-base", "rpmlib(RichDependencies) <= 4.12.0-1"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("rpm -qp --requires tiny-app = %q; want %q", out, want)
		}
	}
	// The file conflict pair: rpm must refuse to install both.
	root := t.TempDir()
	a := filepath.Join(dir, "Minimal/Packages/t/tiny-clash-a-1.0-1.noarch.rpm")
	b := filepath.Join(dir, "Minimal/Packages/t/tiny-clash-b-1.0-1.noarch.rpm")
	out, err = exec.Command(rpmBin, "--root", root, "-i", "--test", "--nodeps", a, b).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "/usr/share/tiny/clash conflicts") {
		t.Errorf("rpm -i --test clash-a clash-b = %v\n%s\nwant a file conflict", err, out)
	}
}

func dnfBase(dnf, installroot, repo string) []string {
	return []string{dnf, "--setopt=reposdir=/dev/null", "--setopt=cachedir=" + filepath.Join(installroot, ".cache"),
		"--releasever=10", "--installroot=" + installroot, "--nogpgcheck",
		"--repofrompath=t," + repo, "--repo=t"}
}

// TestSmallDNF reads our repodata with Debian's dnf (libsolv).
func TestSmallDNF(t *testing.T) {
	dnf := testutil.NeedTool(t, "dnf")
	dir := smallTree(t)
	repo := filepath.Join(dir, RepoDir)
	base := dnfBase(dnf, t.TempDir(), repo)
	out, err := exec.Command(base[0], append(base[1:], "-q", "repoquery", "--qf", "%{name}-%{evr}.%{arch}")...).CombinedOutput()
	if err != nil {
		t.Fatalf("dnf repoquery: %v\n%s", err, out)
	}
	var want []string
	for _, p := range SmallPackages() {
		n := p.NEVRA
		want = append(want, n.String())
	}
	sort.Strings(want)
	got := strings.Fields(string(out))
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("dnf repoquery = %q; want %q", got, want)
	}

	out, err = exec.Command(base[0], append(base[1:], "-q", "repoquery", "--requires", "--resolve", "--recursive", "--qf", "%{name}", "tiny-app")...).CombinedOutput()
	if err != nil {
		t.Fatalf("dnf repoquery --resolve: %v\n%s", err, out)
	}
	for _, w := range []string{"tiny-lib", "tiny-base"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("dnf repoquery --requires --resolve tiny-app = %q; want %s", out, w)
		}
	}

	out, err = exec.Command(base[0], append(base[1:], "install", "--assumeno", "tiny-app")...).CombinedOutput()
	for _, w := range []string{"tiny-app", "tiny-base", "tiny-lib", "tiny-cli"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("dnf install --assumeno tiny-app = %v\n%s\nwant %s in the transaction", err, out, w)
		}
	}
	out, err = exec.Command(base[0], append(base[1:], "install", "--assumeno", "tiny-unsat")...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "tiny-does-not-exist") {
		t.Errorf("dnf install tiny-unsat = %v\n%s\nwant nothing provides tiny-does-not-exist", err, out)
	}
}

// TestSmallISO builds the small ISO twice: the bytes must match, and
// xorriso must show Rocky's layout.
func TestSmallISO(t *testing.T) {
	xorriso := testutil.NeedTool(t, "xorriso")
	dir := t.TempDir()
	var sums [2][32]byte
	for i := range sums {
		out := filepath.Join(dir, "small"+string(rune('a'+i))+".iso")
		start := time.Now()
		if err := BuildSmallISO(context.Background(), out, nil); err != nil {
			t.Fatalf("BuildSmallISO: %v", err)
		}
		t.Logf("small iso %d built in %s", i, time.Since(start))
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = sha256.Sum256(b)
	}
	if sums[0] != sums[1] {
		t.Errorf("two small ISO builds differ: %x and %x", sums[0], sums[1])
	}
	iso := filepath.Join(dir, "smalla.iso")
	out, err := exec.Command(xorriso, "-indev", iso, "-find", "/", "-type", "f").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso -find: %v\n%s", err, out)
	}
	for _, want := range []string{"'/.treeinfo'", "'/Minimal/repodata/repomd.xml'", "'/Minimal/Packages/t/tiny-app-1.0-1.noarch.rpm'"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("xorriso -find = %s\nwant %s", out, want)
		}
	}
	out, err = exec.Command(xorriso, "-indev", iso, "-pvd_info").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("Volume Id    : "+VolumeLabel)) {
		t.Errorf("xorriso -pvd_info = %v\n%s\nwant volume id %s", err, out, VolumeLabel)
	}
}

func BenchmarkWriteSmallTree(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := WriteSmallTree(context.Background(), b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}
