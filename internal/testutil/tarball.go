package testutil

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// Tarball builds a tar stream of files (path -> contents), in name order,
// compressed as "gz", "zst" or "" (plain). A path ending in "/" is a
// directory (0755); a file ending in ".sh" is executable (0755), others are
// 0644. Every entry has the same fixed modification time, so the bytes are
// the same on every run.
func Tarball(t testing.TB, files map[string]string, comp string) []byte {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, n := range names {
		h := &tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}
		switch {
		case strings.HasSuffix(n, "/"):
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		case strings.HasSuffix(n, ".sh"):
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return Compress(t, raw.Bytes(), comp)
}

// Compress compresses b as "gz" or "zst"; "" returns b unchanged.
func Compress(t testing.TB, b []byte, comp string) []byte {
	t.Helper()
	var out bytes.Buffer
	var zw io.WriteCloser
	switch comp {
	case "":
		return b
	case "gz":
		zw = gzip.NewWriter(&out)
	case "zst":
		w, err := zstd.NewWriter(&out)
		if err != nil {
			t.Fatal(err)
		}
		zw = w
	default:
		t.Fatalf("Compress: unknown compression %q", comp)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
