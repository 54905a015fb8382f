package repo

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"os"
	"path/filepath"
)

// cacheMagic names the format; bump it whenever Package changes shape.
const cacheMagic = "levitate-repo-index-v1\n"

// cache stores parsed metadata as gob followed by the sha256 of the gob
// bytes. Anything that does not check out is treated as a miss: a cache
// may be truncated by a crash or edited by hand, and must never be
// trusted blindly.
type cache struct {
	dir string
	key string
}

type cachedPackages struct {
	Key      string
	Packages []*Package
}

type cachedFiles struct {
	Key   string
	Files map[string][]string
}

func (c cache) path(kind string) string { return filepath.Join(c.dir, c.key+"."+kind) }

func (c cache) readPackages() ([]*Package, bool) {
	var v cachedPackages
	if !c.read("primary", &v) || v.Key != c.key {
		return nil, false
	}
	return v.Packages, true
}

func (c cache) writePackages(p []*Package) { c.write("primary", cachedPackages{c.key, p}) }

func (c cache) readFiles() (map[string][]string, bool) {
	var v cachedFiles
	if !c.read("filelists", &v) || v.Key != c.key {
		return nil, false
	}
	return v.Files, true
}

func (c cache) writeFiles(m map[string][]string) { c.write("filelists", cachedFiles{c.key, m}) }

func (c cache) read(kind string, v any) bool {
	if c.dir == "" {
		return false
	}
	b, err := os.ReadFile(c.path(kind))
	if err != nil || len(b) < len(cacheMagic)+sha256.Size || string(b[:len(cacheMagic)]) != cacheMagic {
		return false
	}
	body := b[len(cacheMagic) : len(b)-sha256.Size]
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], b[len(b)-sha256.Size:]) {
		return false
	}
	return gob.NewDecoder(bytes.NewReader(body)).Decode(v) == nil
}

// write is best effort: a cache that cannot be written only costs time.
func (c cache) write(kind string, v any) {
	if c.dir == "" {
		return
	}
	var buf bytes.Buffer
	buf.WriteString(cacheMagic)
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return
	}
	sum := sha256.Sum256(buf.Bytes()[len(cacheMagic):])
	buf.Write(sum[:])
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), c.path(kind)) != nil {
		os.Remove(tmp.Name())
	}
}
