package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// epoch is the fixed mtime of generated entries, so archives are
// reproducible and mtimes checkable.
var epoch = time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)

// tent is one tar entry to generate: a header and, for files, its data.
type tent struct {
	h    tar.Header
	data string
}

func treg(name string, mode int64, data string) tent {
	return tent{h: tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: epoch}, data: data}
}

func tdir(name string, mode int64) tent {
	return tent{h: tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: mode, ModTime: epoch}}
}

func tsym(name, target string) tent {
	return tent{h: tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777, ModTime: epoch}}
}

func tlink(name, target string) tent {
	return tent{h: tar.Header{Typeflag: tar.TypeLink, Name: name, Linkname: target, Mode: 0o644, ModTime: epoch}}
}

func tspecial(typ byte, name string) tent {
	return tent{h: tar.Header{Typeflag: typ, Name: name, Mode: 0o644, Devmajor: 1, Devminor: 3, ModTime: epoch}}
}

// mkTar writes entries as a tar stream. Headers are written as given; a
// header whose Size disagrees with its data yields a deliberately broken
// archive (the writer's complaint is ignored).
func mkTar(t testing.TB, ents ...tent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		h := e.h
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatalf("tar header %q: %v", h.Name, err)
		}
		if _, err := io.WriteString(tw, e.data); err != nil && h.Size >= int64(len(e.data)) {
			t.Fatalf("tar data %q: %v", h.Name, err)
		}
	}
	tw.Close()
	return buf.Bytes()
}

// compress wraps data in the compression of format f.
func compress(t testing.TB, f Format, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch f.compression() {
	case "":
		return data
	case "gz":
		w = gzip.NewWriter(&buf)
	case "xz":
		w, err = xz.NewWriter(&buf)
	case "zst":
		w, err = zstd.NewWriter(&buf)
	default:
		t.Fatalf("compress: no writer for %s", f)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zent is one zip entry to generate.
type zent struct {
	name string
	mode fs.FileMode
	data string
	raw  *zip.FileHeader // when set, written with CreateRaw as is
}

func mkZip(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		if e.raw != nil {
			w, err := zw.CreateRaw(e.raw)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, e.data)
			continue
		}
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: epoch}
		fh.SetMode(e.mode)
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatalf("zip header %q: %v", e.name, err)
		}
		io.WriteString(w, e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// snapshot records every path under dir except destinations (named dst*),
// with what matters to detect a write: type, mode, mtime, content and link
// target.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if filepath.Dir(p) == dir && strings.HasPrefix(d.Name(), "dst") {
			return filepath.SkipDir
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		desc := fi.Mode().String()
		if p != dir { // dir's own mtime changes as dst comes and goes
			desc += " " + fi.ModTime().String()
		}
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			desc += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			l, _ := os.Readlink(p)
			desc += " -> " + l
		}
		m[p] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sandbox is a parent directory with a victim tree next to the
// destination, so an escaping write shows up as a change.
type sandbox struct {
	parent, dst string
	before      map[string]string
}

func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	parent := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(parent, "outside", "etc"), 0o755))
	must(t, os.WriteFile(filepath.Join(parent, "outside", "victim"), []byte("original"), 0o644))
	must(t, os.WriteFile(filepath.Join(parent, "outside", "etc", "passwd"), []byte("root:x:0:0"), 0o644))
	dst := filepath.Join(parent, "dst")
	return &sandbox{parent: parent, dst: dst, before: snapshot(t, parent)}
}

// checkUntouched fails if anything outside dst changed.
func (s *sandbox) checkUntouched(t testing.TB) {
	t.Helper()
	after := snapshot(t, s.parent)
	for p, d := range after {
		if s.before[p] != d {
			t.Errorf("outside dst: %s changed or appeared: %s", p, d)
		}
	}
	for p := range s.before {
		if _, ok := after[p]; !ok {
			t.Errorf("outside dst: %s disappeared", p)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// corruptAt returns a copy of b with one bit flipped at offset off (a
// negative offset counts from the end).
func corruptAt(b []byte, off int) []byte {
	c := bytes.Clone(b)
	if off < 0 {
		off += len(c)
	}
	c[off] ^= 0x10
	return c
}

func truncate(b []byte, frac float64) []byte {
	return bytes.Clone(b[:int(float64(len(b))*frac)])
}

// bigText is compressible data of about n bytes.
func bigText(n int) string {
	var sb strings.Builder
	for i := 0; sb.Len() < n; i++ {
		sb.WriteString("line of a compressible text file, number ")
		sb.WriteString(strings.Repeat("x", i%17))
		sb.WriteString("\n")
	}
	return sb.String()[:n]
}
