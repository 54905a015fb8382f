package rpm

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// RepoPackage is one package file as repodata describes it.
type RepoPackage struct {
	Header *Header
	// Href is the file's path relative to the repository root, with
	// forward slashes ("Packages/b/bash-5.2-1.x86_64.rpm").
	Href string
	// Size is the file size; Checksum its sha256 in hex (the pkgid).
	Size     int64
	Checksum string
	// Time is the file time recorded in primary.xml.
	Time int64
}

// ScanPackage reads the header of the package file at path and hashes the
// whole file, giving the repodata entry for it at href.
func ScanPackage(path, href string, fileTime int64) (RepoPackage, error) {
	f, err := os.Open(path)
	if err != nil {
		return RepoPackage{}, fmt.Errorf("scan package: %w", err)
	}
	defer f.Close()
	sum := sha256.New()
	h, err := ReadHeader(io.TeeReader(f, sum))
	if err != nil {
		return RepoPackage{}, fmt.Errorf("scan package %s: %w", path, err)
	}
	n, err := io.Copy(sum, f)
	if err != nil {
		return RepoPackage{}, fmt.Errorf("scan package %s: %w", path, err)
	}
	return RepoPackage{
		Header: h, Href: href, Size: h.HeaderEnd + n,
		Checksum: hex.EncodeToString(sum.Sum(nil)), Time: fileTime,
	}, nil
}

// RepoOptions control the parts of repodata that are not derived from the
// packages.
type RepoOptions struct {
	// Revision is written as repomd's revision and every timestamp; set it
	// from SOURCE_DATE_EPOCH for reproducible output.
	Revision int64
}

// WriteRepodata writes DIR/repodata/ (repomd.xml, primary.xml.gz,
// filelists.xml.gz, file names prefixed with their checksum as
// createrepo_c does) for pkgs, replacing any repodata there. Packages are
// sorted by href, so the output does not depend on the order of pkgs.
func WriteRepodata(dir string, pkgs []RepoPackage, opt RepoOptions) error {
	pkgs = append([]RepoPackage(nil), pkgs...)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Href < pkgs[j].Href })
	var bad []string
	for i, p := range pkgs {
		if !hrefOK(p.Href) {
			bad = append(bad, fmt.Sprintf("bad href %q", p.Href))
		}
		if i > 0 && pkgs[i-1].Href == p.Href {
			bad = append(bad, fmt.Sprintf("href %q listed twice", p.Href))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("write repodata %s: %v", dir, bad)
	}
	tmp, err := os.MkdirTemp(dir, ".repodata-")
	if err != nil {
		return fmt.Errorf("write repodata: %w", err)
	}
	defer os.RemoveAll(tmp)

	var recs []dataRecord
	for _, part := range []struct {
		typ   string
		write func(io.Writer, []RepoPackage) error
	}{{"primary", writePrimary}, {"filelists", writeFilelists}} {
		rec, err := writeGz(tmp, part.typ, func(w io.Writer) error { return part.write(w, pkgs) })
		if err != nil {
			return fmt.Errorf("write repodata %s: %w", dir, err)
		}
		recs = append(recs, rec)
	}
	if err := os.WriteFile(filepath.Join(tmp, "repomd.xml"), repomd(recs, opt.Revision), 0o644); err != nil {
		return fmt.Errorf("write repodata: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("write repodata: %w", err)
	}
	final := filepath.Join(dir, "repodata")
	if err := os.RemoveAll(final); err != nil {
		return fmt.Errorf("write repodata: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("write repodata: %w", err)
	}
	return nil
}

type dataRecord struct {
	typ            string
	href           string
	sum, openSum   string
	size, openSize int64
}

func writeGz(dir, typ string, body func(io.Writer) error) (dataRecord, error) {
	var plain, gz bytes.Buffer
	if err := body(&plain); err != nil {
		return dataRecord{}, fmt.Errorf("%s: %w", typ, err)
	}
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(plain.Bytes()); err != nil {
		return dataRecord{}, fmt.Errorf("%s: %w", typ, err)
	}
	if err := zw.Close(); err != nil {
		return dataRecord{}, fmt.Errorf("%s: %w", typ, err)
	}
	rec := dataRecord{
		typ: typ, sum: sha256Hex(gz.Bytes()), openSum: sha256Hex(plain.Bytes()),
		size: int64(gz.Len()), openSize: int64(plain.Len()),
	}
	name := rec.sum + "-" + typ + ".xml.gz"
	rec.href = "repodata/" + name
	if err := os.WriteFile(filepath.Join(dir, name), gz.Bytes(), 0o644); err != nil {
		return dataRecord{}, fmt.Errorf("%s: %w", typ, err)
	}
	return rec, nil
}

func repomd(recs []dataRecord, revision int64) []byte {
	var b bytes.Buffer
	x := &xmlWriterBuf{&b}
	rev := strconv.FormatInt(revision, 10)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">` + "\n")
	b.WriteString("  <revision>" + rev + "</revision>\n")
	for _, r := range recs {
		x.printf("  <data type=%q>\n", r.typ)
		x.printf("    <checksum type=\"sha256\">%s</checksum>\n", r.sum)
		x.printf("    <open-checksum type=\"sha256\">%s</open-checksum>\n", r.openSum)
		x.printf("    <location href=%q/>\n", r.href)
		x.printf("    <timestamp>%s</timestamp>\n", rev)
		x.printf("    <size>%d</size>\n", r.size)
		x.printf("    <open-size>%d</open-size>\n", r.openSize)
		b.WriteString("  </data>\n")
	}
	b.WriteString("</repomd>\n")
	return b.Bytes()
}

// xmlWriterBuf formats into a buffer; the values it gets are hex digests,
// numbers and our own hrefs, which need no escaping.
type xmlWriterBuf struct{ b *bytes.Buffer }

func (x *xmlWriterBuf) printf(format string, a ...any) { fmt.Fprintf(x.b, format, a...) }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
