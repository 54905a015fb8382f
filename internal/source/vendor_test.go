package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

// TestVendorISOFetchAll opens the full test vendor ISO
// ($LEVITATE_VENDOR_ISO, else the newest CACHE/vendor-iso/*/vendor.iso)
// and fetches every package, each verified against repodata.
func TestVendorISOFetchAll(t *testing.T) {
	if os.Getenv("LEVITATE_SLOW_TESTS") != "1" {
		t.Skip("set LEVITATE_SLOW_TESTS=1")
	}
	iso := os.Getenv("LEVITATE_VENDOR_ISO")
	if iso == "" {
		cache := os.Getenv("LEVITATE_CACHE")
		if cache == "" {
			h, _ := os.UserHomeDir()
			cache = filepath.Join(h, ".cache", "levitate")
		}
		isos, _ := filepath.Glob(filepath.Join(cache, "vendor-iso", "*", "vendor.iso"))
		if len(isos) == 0 {
			if os.Getenv("CI") != "" {
				t.Fatalf("no vendor ISO under %s and LEVITATE_VENDOR_ISO unset (make test-boot sets it)", cache)
			}
			t.Skipf("no vendor ISO under %s", cache)
		}
		iso = isos[len(isos)-1]
	}
	testutil.NeedTool(t, "xorriso")
	start := time.Now()
	s := openSource(t, iso, "")
	ix := index(t, s)
	opened := time.Since(start)
	start = time.Now()
	dest := t.TempDir()
	var bytes int64
	for _, p := range ix.Packages() {
		if _, err := s.Fetch(context.Background(), p, dest); err != nil {
			t.Fatalf("Fetch(%s) = %v", p.NEVRA, err)
		}
		bytes += p.Size
	}
	d := time.Since(start)
	t.Logf("%s: open+index %v; fetched %d packages (%d MB) in %v (%.0f MB/s)",
		iso, opened, ix.Len(), bytes>>20, d, float64(bytes)/d.Seconds()/1e6)
}
