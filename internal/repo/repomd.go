package repo

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"strings"
)

// Repomd is the parsed repodata/repomd.xml.
type Repomd struct {
	Revision string
	Data     []DataFile
}

// DataFile is one <data> record of repomd.xml.
type DataFile struct {
	Type string
	// Href is relative to the repository root ("repodata/abc-primary.xml.gz").
	Href         string
	Checksum     Checksum
	OpenChecksum Checksum
	Size         int64
}

// Checksum is a digest with its algorithm as repodata names it
// ("sha256", "sha512", "sha1", "sha").
type Checksum struct {
	Type  string
	Value string
}

// Find returns the data record of the given type.
func (m *Repomd) Find(typ string) (DataFile, bool) {
	for _, d := range m.Data {
		if d.Type == typ {
			return d, true
		}
	}
	return DataFile{}, false
}

type xmlRepomd struct {
	Revision string `xml:"revision"`
	Data     []struct {
		Type     string `xml:"type,attr"`
		Checksum struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"checksum"`
		OpenChecksum struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"open-checksum"`
		Location struct {
			Href string `xml:"href,attr"`
		} `xml:"location"`
		Size int64 `xml:"size"`
	} `xml:"data"`
}

// ParseRepomd reads repomd.xml.
func ParseRepomd(b []byte) (*Repomd, error) {
	var x xmlRepomd
	if err := xml.Unmarshal(b, &x); err != nil {
		return nil, fmt.Errorf("parse repomd.xml: %w", err)
	}
	m := &Repomd{Revision: strings.TrimSpace(x.Revision)}
	for _, d := range x.Data {
		df := DataFile{
			Type: d.Type, Href: d.Location.Href, Size: d.Size,
			Checksum:     Checksum{Type: d.Checksum.Type, Value: strings.TrimSpace(d.Checksum.Value)},
			OpenChecksum: Checksum{Type: d.OpenChecksum.Type, Value: strings.TrimSpace(d.OpenChecksum.Value)},
		}
		if !hrefOK(df.Href) {
			return nil, fmt.Errorf("parse repomd.xml: data %q: bad location href %q", df.Type, df.Href)
		}
		m.Data = append(m.Data, df)
	}
	return m, nil
}

// hrefOK accepts relative, clean, slash-separated paths only, so that a
// hostile repomd.xml cannot point outside the repository.
func hrefOK(h string) bool {
	return h != "" && fs.ValidPath(h)
}

// NewHash returns a hash for a repodata checksum type.
func NewHash(typ string) (hash.Hash, error) {
	switch typ {
	case "sha256":
		return sha256.New(), nil
	case "sha512":
		return sha512.New(), nil
	case "sha384":
		return sha512.New384(), nil
	}
	return nil, fmt.Errorf("unsupported checksum type %q", typ)
}

// verifyingReader hashes what is read through it and checks the digest at
// EOF, so a data file is verified while it streams into the parser.
type verifyingReader struct {
	r    io.Reader
	h    hash.Hash
	name string
	want string
	n    int64
}

func newVerifyingReader(r io.Reader, name string, c Checksum) (*verifyingReader, error) {
	h, err := NewHash(c.Type)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &verifyingReader{r: r, h: h, name: name, want: strings.ToLower(c.Value)}, nil
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if err == io.EOF {
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, &ChecksumError{File: v.name, Want: v.want, Got: got}
		}
	}
	return n, err
}

// drain reads the rest so that the checksum is checked even when the
// consumer stopped early.
func (v *verifyingReader) drain() error {
	_, err := io.Copy(io.Discard, v)
	return err
}

// ChecksumError reports a file whose digest differs from repomd.xml's.
type ChecksumError struct {
	File      string
	Want, Got string
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s: checksum mismatch: expected %s, got %s", e.File, e.Want, e.Got)
}
