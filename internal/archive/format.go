package archive

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// Format names an archive or compression format. The values match the
// recipe language's (extract FORMAT) forms.
type Format string

// The supported formats.
const (
	Tar    Format = "tar"
	TarGz  Format = "tar-gz"
	TarXz  Format = "tar-xz"
	TarZst Format = "tar-zst"
	TarBz2 Format = "tar-bz2"
	Zip    Format = "zip"
	Gz     Format = "gz"
	Xz     Format = "xz"
	Zst    Format = "zst"
)

// Formats returns every supported format in the recipe language's order.
func Formats() []Format {
	return []Format{TarGz, TarXz, TarZst, TarBz2, Tar, Zip, Gz, Xz, Zst}
}

// ParseFormat returns the Format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown archive format %q (want one of %s)", s, formatList())
}

func formatList() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, "|")
}

// isTar reports whether f is a tar archive, compressed or not.
func (f Format) isTar() bool { return strings.HasPrefix(string(f), "tar") }

// compression returns the compression layer of f ("" for none).
func (f Format) compression() string {
	switch f {
	case TarGz, Gz:
		return "gz"
	case TarXz, Xz:
		return "xz"
	case TarZst, Zst:
		return "zst"
	case TarBz2:
		return "bz2"
	}
	return ""
}

// HeadSize is how many leading bytes DetectFormat needs to see every magic
// number it knows (the tar magic sits at offset 257).
const HeadSize = 512

var (
	magicGz   = []byte{0x1f, 0x8b}
	magicXz   = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	magicZst  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicBz2  = []byte("BZh")
	magicZip  = []byte("PK\x03\x04")
	magicZipE = []byte("PK\x05\x06") // empty zip: only the end record
)

// DetectFormat identifies an archive by its leading bytes head (up to
// HeadSize of them), falling back to the file name. A compressed stream is a
// tarball unless its name says it is a single file (foo.gz rather than
// foo.tar.gz or foo.tgz).
func DetectFormat(name string, head []byte) (Format, error) {
	byName := formatByName(name)
	comp := ""
	switch {
	case bytes.HasPrefix(head, magicGz):
		comp = "gz"
	case bytes.HasPrefix(head, magicXz):
		comp = "xz"
	case bytes.HasPrefix(head, magicZst):
		comp = "zst"
	case bytes.HasPrefix(head, magicBz2):
		return TarBz2, nil
	case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicZipE):
		return Zip, nil
	case len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar")):
		return Tar, nil
	}
	if comp == "" {
		if byName == "" {
			return "", fmt.Errorf("%s: %w", name, ErrUnknownFormat)
		}
		return byName, nil
	}
	if byName != "" && !byName.isTar() && byName.compression() == comp {
		return byName, nil
	}
	return Format("tar-" + comp), nil
}

// formatByName guesses a format from a file name's extension.
func formatByName(name string) Format {
	base := strings.ToLower(path.Base(name))
	suffixes := []struct {
		ext string
		f   Format
	}{
		{".tar.gz", TarGz}, {".tgz", TarGz},
		{".tar.xz", TarXz}, {".txz", TarXz},
		{".tar.zst", TarZst}, {".tzst", TarZst},
		{".tar.bz2", TarBz2}, {".tbz2", TarBz2}, {".tbz", TarBz2},
		{".tar", Tar}, {".zip", Zip},
		{".gz", Gz}, {".xz", Xz}, {".zst", Zst},
	}
	for _, s := range suffixes {
		if strings.HasSuffix(base, s.ext) {
			return s.f
		}
	}
	return ""
}
