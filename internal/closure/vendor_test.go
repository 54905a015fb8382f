package closure

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/source"
	"github.com/levitateos/levitate/internal/testutil"
)

// vendorISO finds the full test vendor ISO: $LEVITATE_VENDOR_ISO, else the
// newest CACHE/vendor-iso/*/vendor.iso that cmd/mkvendoriso leaves, with
// CACHE as mkvendoriso picks it.
func vendorISO(t *testing.T) string {
	if p := os.Getenv("LEVITATE_VENDOR_ISO"); p != "" {
		return p
	}
	cache := os.Getenv("LEVITATE_CACHE")
	if cache == "" {
		if x := os.Getenv("XDG_CACHE_HOME"); x != "" {
			cache = filepath.Join(x, "levitate")
		} else if h, err := os.UserHomeDir(); err == nil {
			cache = filepath.Join(h, ".cache", "levitate")
		}
	}
	isos, _ := filepath.Glob(filepath.Join(cache, "vendor-iso", "*", "vendor.iso"))
	var best string
	var bestTime time.Time
	for _, p := range isos {
		if st, err := os.Stat(p); err == nil && st.ModTime().After(bestTime) {
			best, bestTime = p, st.ModTime()
		}
	}
	if best == "" {
		if os.Getenv("CI") != "" {
			// make test-boot builds the ISO first and names it in
			// LEVITATE_VENDOR_ISO: in CI its absence is a failure.
			t.Fatalf("no vendor ISO under %s/vendor-iso and LEVITATE_VENDOR_ISO unset", cache)
		}
		t.Skipf("no vendor ISO under %s/vendor-iso (run mkvendoriso or set LEVITATE_VENDOR_ISO)", cache)
	}
	return best
}

func readPackagesTxt(t *testing.T, name string) []Request {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Request
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, Request{Name: line, Pos: name + ":" + strconv.Itoa(n)})
		}
	}
	return out
}

// TestVendorProfileAgainstDNF resolves the default profile against the
// full test vendor ISO and compares the closure with dnf's plan.
func TestVendorProfileAgainstDNF(t *testing.T) {
	if os.Getenv("LEVITATE_SLOW_TESTS") != "1" {
		t.Skip("set LEVITATE_SLOW_TESTS=1")
	}
	iso := vendorISO(t)
	xorriso := testutil.NeedTool(t, "xorriso")
	ctx := context.Background()
	start := time.Now()
	src, err := source.Open(ctx, iso, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ix, err := src.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opened := time.Since(start)
	reqList := readPackagesTxt(t, "../../profiles/levitate/packages.txt")
	start = time.Now()
	c, err := Resolve([]Input{{ID: iso, Index: ix}}, reqList)
	if err != nil {
		t.Fatalf("Resolve(profile) = %v", err)
	}
	t.Logf("%s: %d packages indexed in %v; closure of %d names: %d packages in %v",
		iso, ix.Len(), opened, len(reqList), len(c.Entries), time.Since(start))

	repoDir := t.TempDir()
	var top string
	for _, e := range c.Entries {
		top = strings.SplitN(e.Pkg.Href, "/", 2)[0]
		break
	}
	if out, err := exec.Command(xorriso, "-osirrox", "on", "-indev", iso, "-extract", "/"+top+"/repodata", filepath.Join(repoDir, "repodata")).CombinedOutput(); err != nil {
		t.Fatalf("xorriso extract: %v\n%s", err, out)
	}
	var names []string
	for _, r := range reqList {
		names = append(names, r.Name)
	}
	want, out, err := dnfPlan(t, repoDir, names)
	if err != nil || len(want) == 0 {
		t.Fatalf("dnf: %v\n%s", err, out)
	}
	got := c.Names()
	missing, extra := setDiff(want, got), setDiff(got, want)
	t.Logf("dnf plans %d packages; we resolve %d; only dnf: %v; only ours: %v", len(want), len(got), missing, extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("closure differs from dnf: only dnf %v; only ours %v", missing, extra)
	}
}

func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
