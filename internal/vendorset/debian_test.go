package vendorset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

// slowTests gates the full Debian-based build (download, debootstrap,
// conversion: several minutes here); CI sets LEVITATE_SLOW_TESTS=1.
func slowTests(t *testing.T) {
	t.Helper()
	if os.Getenv("LEVITATE_SLOW_TESTS") != "1" {
		t.Skip("the full Debian-based set is slow; set LEVITATE_SLOW_TESTS=1")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			t.Skip("debootstrap needs root")
		}
		t.Fatal("debootstrap needs root (CI)")
	}
	for _, tool := range []string{"debootstrap", "unshare", "chroot", "xorriso", "rpm", "dnf"} {
		testutil.NeedTool(t, tool)
	}
}

func testCache(t *testing.T) string {
	if d := os.Getenv("LEVITATE_CACHE"); d != "" {
		return d
	}
	return filepath.Join(t.TempDir(), "cache")
}

func fileSHA(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestDebianSet builds the real set twice from the same .deb files (the
// second time forced), compares the ISO bytes, and checks the result with
// rpm, dnf and xorriso.
func TestDebianSet(t *testing.T) {
	slowTests(t)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	cache := testCache(t)
	opts := Options{CacheDir: cache, Progress: testWriter{t}}
	r1, err := Build(ctx, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	for _, p := range r1.Phases {
		t.Logf("phase %-45s %s", p.Name, p.Duration)
	}
	sum1 := fileSHA(t, r1.ISO)
	opts.Force = true
	r2, err := Build(ctx, opts)
	if err != nil {
		t.Fatalf("Build (forced rebuild): %v", err)
	}
	for _, p := range r2.Phases {
		t.Logf("rebuild phase %-37s %s", p.Name, p.Duration)
	}
	if sum2 := fileSHA(t, r2.ISO); r1.Key != r2.Key || sum1 != sum2 {
		t.Errorf("two builds from the same .deb files differ: key %s / %s, iso sha256 %s / %s", r1.Key, r2.Key, sum1, sum2)
	}
	r3, err := Build(ctx, Options{CacheDir: cache})
	if err != nil || !r3.Cached || r3.ISO != r2.ISO {
		t.Errorf("third Build = %+v, %v; want the cached ISO %s", r3, err, r2.ISO)
	}
	checkDebianISO(t, r2.ISO)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

func checkDebianISO(t *testing.T, iso string) {
	out, err := exec.Command("xorriso", "-indev", iso, "-find", "/", "-type", "f").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso -find: %v\n%s", err, out)
	}
	for _, want := range []string{"'/.treeinfo'", "'/Minimal/repodata/repomd.xml'", "'/Minimal/Packages/k/kernel-core-", "'/Minimal/Packages/s/systemd-", "'/Minimal/Packages/s/setup-", "'/Minimal/Packages/d/dracut-live-"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("xorriso -find shows no %s", want)
		}
	}
	dir := t.TempDir()
	if out, err := exec.Command("xorriso", "-osirrox", "on", "-indev", iso, "-extract", "/", dir).CombinedOutput(); err != nil {
		t.Fatalf("xorriso -extract: %v\n%s", err, out)
	}
	rpms, _ := filepath.Glob(filepath.Join(dir, "Minimal/Packages/*/*.rpm"))
	if len(rpms) < 100 {
		t.Fatalf("ISO has %d packages; want the whole closure", len(rpms))
	}
	out, err = exec.Command("rpm", append([]string{"-K", "--nosignature"}, rpms...)...).CombinedOutput()
	if n := strings.Count(string(out), "digests OK"); err != nil || n != len(rpms) {
		t.Errorf("rpm -K --nosignature: %v, %d of %d OK\n%s", err, n, len(rpms), tail(out))
	}
	if out, err := exec.Command("rpm", append([]string{"-qp", "--requires"}, rpms...)...).CombinedOutput(); err != nil {
		t.Errorf("rpm -qp --requires: %v\n%s", err, tail(out))
	}
	// Every dependency and no file conflict, checked by rpm itself.
	root := t.TempDir()
	if out, err := exec.Command("rpm", append([]string{"--root", root, "-i", "--test"}, rpms...)...).CombinedOutput(); err != nil {
		t.Errorf("rpm -i --test (all packages): %v\n%s", err, tail(out))
	}
	checkProfileResolves(t, filepath.Join(dir, RepoDir))
}

// checkProfileResolves resolves the default profile's package list against
// the repository with Debian's dnf.
func checkProfileResolves(t *testing.T, repo string) {
	b, err := os.ReadFile("../../profiles/levitate/packages.txt")
	if err != nil {
		t.Fatal(err)
	}
	names, err := parseList(b, "packages.txt")
	if err != nil {
		t.Fatal(err)
	}
	base := dnfBase("dnf", t.TempDir(), repo)
	args := append(append(base[1:], "install", "--assumeno"), names...)
	out, _ := exec.Command(base[0], args...).CombinedOutput()
	s := string(out)
	if !strings.Contains(s, "Transaction Summary") || strings.Contains(s, "No match for argument") || strings.Contains(s, "Problem") {
		t.Errorf("dnf install --assumeno (profile packages) did not resolve:\n%s", tail(out))
	}
}

func tail(b []byte) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}
