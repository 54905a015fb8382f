package source

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

// BenchmarkHTTPFetch downloads a 16 MiB package from a loopback
// repository through internal/fetch, sha256 verified, without a cache.
func BenchmarkHTTPFetch(b *testing.B) {
	dir := b.TempDir()
	body := make([]byte, 16<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range body {
		body[i] = byte(r.Uint32())
	}
	p := &rpm.Package{
		NEVRA:   rpm.NEVRA{Name: "big", EVR: rpm.EVR{Version: "1", Release: "1"}, Arch: "noarch"},
		Summary: "big", License: "MIT", Compressor: "gzip:1",
		Files: []rpm.File{{Path: "/usr/share/big", Mode: rpm.ModeRegular | 0o644, Body: body}},
	}
	os.MkdirAll(filepath.Join(dir, "Packages/b"), 0o755)
	writeRPM(b, filepath.Join(dir, "Packages/b", p.FileName()), p)
	rewriteRepodata(b, dir)
	srv := serveRepo(b, dir)
	s, err := openHTTP(context.Background(), srv.URL, "", defaultHTTPConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	pkg := index(b, s).ByName("big")[0]
	b.SetBytes(pkg.Size)
	for b.Loop() {
		dest := b.TempDir()
		if _, err := s.Fetch(context.Background(), pkg, dest); err != nil {
			b.Fatal(err)
		}
	}
}
