package archive

import (
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// extractSingle decompresses one compressed file into the destination.
func extractSingle(w *writer, name string, r io.Reader, comp string) (string, error) {
	out := w.opts.SingleName
	if out == "" {
		out = strings.TrimSuffix(path.Base(name), "."+comp)
		if out == path.Base(name) || out == "" || out == "." || out == ".." {
			return "", fmt.Errorf("cannot derive an output name from %q; set SingleName: %w", name, ErrBadName)
		}
	}
	dr, closeFn, err := decompressor(comp, r)
	if err != nil {
		return out, err
	}
	defer closeFn()
	h := &header{name: out, typ: kindFile, mode: 0o644, size: sizeUnknown, mtime: time.Now()}
	return out, w.add(h, dr)
}
