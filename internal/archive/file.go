package archive

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"syscall"
)

// copyBufSize is the write size for file contents: large enough that
// syscalls do not dominate, small enough to stay in cache.
const copyBufSize = 256 << 10

// sizeUnknown marks a file whose size only its data tells (the output of
// a single compressed file).
const sizeUnknown = -1

// errOverLimit is copy's signal that the data went past its limit.
var errOverLimit = errors.New("over limit")

// openParent returns name's parent directory, opened through the root, and
// name's last component.
func (w *writer) openParent(name string) (*os.File, string, error) {
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	}
	if w.dirFile == nil || w.dirName != dir {
		w.close()
		d, err := w.root.OpenFile(dir, os.O_RDONLY|syscall.O_DIRECTORY, 0)
		if err != nil {
			return nil, "", err
		}
		w.dirFile, w.dirName = d, dir
	}
	return w.dirFile, base, nil
}

// file writes a regular file. Its parent directory comes from the root;
// the file itself is created relative to that directory with
// O_CREAT|O_EXCL|O_NOFOLLOW on a single validated name component, which is
// the open os.Root performs for a last component, without the os.File
// set-up that costs several syscalls per file (see createAt).
func (w *writer) file(name string, h *header, r io.Reader) error {
	room := w.opts.maxTotal() - w.stats.Bytes
	limit := h.size
	switch {
	case h.size == sizeUnknown:
		limit = min(w.opts.maxFileSize(), room)
	case h.size < 0 || h.size > w.opts.maxFileSize():
		return fmt.Errorf("file size %d over the limit %d: %w", h.size, w.opts.maxFileSize(), ErrTooLarge)
	case h.size > room:
		return fmt.Errorf("total size over the limit %d: %w", w.opts.maxTotal(), ErrTooLarge)
	}
	dir, base, err := w.openParent(name)
	if err != nil {
		return err
	}
	f, err := createAt(dir, base)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	w.paths[name] = kindFile
	n, err := w.copy(f, r, limit)
	switch {
	case err != nil && h.size == sizeUnknown && errors.Is(err, errOverLimit):
		err = fmt.Errorf("data over the size limit %d: %w", limit, ErrTooLarge)
	case err != nil && errors.Is(err, errOverLimit):
		err = fmt.Errorf("file data longer than its header's %d bytes: %w", h.size, ErrCorrupt)
	case err == nil && h.size != sizeUnknown && n != h.size:
		err = fmt.Errorf("got %d bytes, header says %d: %w", n, h.size, ErrCorrupt)
	}
	if err == nil {
		err = f.setMeta(unixMode(h.mode), h.mtime)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if w.hash != nil {
		if err != nil {
			name = ""
		}
		w.hash.end(name)
	}
	if err != nil {
		return err
	}
	w.stats.Files++
	w.stats.Bytes += n
	return nil
}

// copy writes r to f, and to the hasher if there is one, and fails with
// errOverLimit past limit bytes.
func (w *writer) copy(f io.Writer, r io.Reader, limit int64) (int64, error) {
	if w.buf == nil && w.hash == nil {
		w.buf = make([]byte, copyBufSize)
	}
	var n int64
	for {
		if err := w.ctx.Err(); err != nil {
			return n, err
		}
		buf := w.buf
		if w.hash != nil {
			buf = <-w.hash.free
		}
		m, err := r.Read(buf)
		if m > 0 && n+int64(m) > limit {
			m, err = 0, errOverLimit
		}
		if m > 0 {
			if _, werr := f.Write(buf[:m]); werr != nil {
				m, err = 0, werr
			}
		}
		if w.hash != nil {
			if m > 0 {
				w.hash.chunk(buf[:m])
			} else {
				w.hash.free <- buf
			}
		}
		if m > 0 {
			n += int64(m)
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
