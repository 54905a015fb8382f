package repo

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/levitateos/levitate/internal/vendorset"
)

// smallRepo writes the vendorset small set and returns its repository root.
func smallRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), dir); err != nil {
		t.Fatalf("WriteSmallTree: %v", err)
	}
	return filepath.Join(dir, vendorset.RepoDir)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// plainData returns the decompressed content of a data file of repo.
func plainData(t testing.TB, repo, typ string) []byte {
	t.Helper()
	md := readRepomd(t, repo)
	d, ok := md.Find(typ)
	if !ok {
		t.Fatalf("no %s in repomd", typ)
	}
	f, err := os.Open(filepath.Join(repo, d.Href))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, done, err := decompress(f)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readRepomd(t testing.TB, repo string) *Repomd {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, RepomdPath))
	if err != nil {
		t.Fatal(err)
	}
	md, err := ParseRepomd(b)
	if err != nil {
		t.Fatal(err)
	}
	return md
}

func compress(t testing.TB, kind string, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch kind {
	case "gz":
		w = gzip.NewWriter(&buf)
	case "zst":
		w, err = zstd.NewWriter(&buf)
	case "xz":
		w, err = xz.NewWriter(&buf)
	case "":
		return plain
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeRepomd writes repodata/repomd.xml for the given data files (type
// -> file content already compressed), naming files as createrepo_c does.
func writeRepomd(t testing.TB, repo string, ext string, data map[string][]byte) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">\n<revision>1</revision>\n")
	for _, typ := range []string{"primary", "filelists"} {
		body, ok := data[typ]
		if !ok {
			continue
		}
		sum := sha256Hex(body)
		name := "repodata/" + sum + "-" + typ + ".xml" + ext
		if err := os.WriteFile(filepath.Join(repo, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "<data type=%q><checksum type=\"sha256\">%s</checksum><location href=%q/><size>%d</size></data>\n", typ, sum, name, len(body))
	}
	b.WriteString("</repomd>\n")
	if err := os.WriteFile(filepath.Join(repo, RepomdPath), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
