package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/klauspost/compress/flate"
)

// maxSymlinkTarget bounds a zip symlink's stored target.
const maxSymlinkTarget = 4096

// zip creator systems whose external attributes carry Unix modes.
const (
	creatorUnix  = 3
	creatorMacOS = 19
)

// extractZipStream extracts a zip given as ra, or spools r to a temporary
// file first when random access is not available.
func extractZipStream(w *writer, r io.Reader, ra io.ReaderAt, size int64, opts *Options) (string, error) {
	if ra != nil && size >= 0 {
		// Random access bypasses the stream: count what the zip reader reads.
		cra := &countingReaderAt{ra: ra, total: size, progress: opts.Progress}
		w.stats.Compressed = size
		return extractZip(w, cra, size)
	}
	tmp, err := os.CreateTemp(opts.TempDir, "archive-*.zip")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, r)
	if err != nil {
		return "", err
	}
	return extractZip(w, tmp, n)
}

func extractZip(w *writer, ra io.ReaderAt, size int64) (string, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	if err := checkZipLayout(zr.File, size, w.opts.maxRatio()); err != nil {
		return "", err
	}
	for _, f := range zr.File {
		if err := extractZipEntry(w, f); err != nil {
			return f.Name, err
		}
	}
	return "", nil
}

func extractZipEntry(w *writer, f *zip.File) error {
	h, err := zipHeader(f)
	if err != nil {
		return err
	}
	if h.typ == kindDir {
		return w.add(h, nil)
	}
	rc, err := f.Open()
	if err != nil {
		return zipErr(err)
	}
	defer rc.Close()
	if h.typ == kindSymlink {
		target, err := io.ReadAll(io.LimitReader(rc, maxSymlinkTarget+1))
		if err != nil {
			return zipErr(err)
		}
		if len(target) > maxSymlinkTarget {
			return fmt.Errorf("symlink target longer than %d bytes: %w", maxSymlinkTarget, ErrTooLarge)
		}
		h.linkname = string(target)
		return w.add(h, nil)
	}
	return zipErr(w.add(h, rc))
}

func zipErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case errors.Is(err, zip.ErrAlgorithm):
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return err
}

func zipHeader(f *zip.File) (*header, error) {
	mode := f.Mode()
	h := &header{name: f.Name, mtime: f.Modified, size: int64(f.UncompressedSize64)}
	if f.UncompressedSize64 > 1<<62 {
		return nil, fmt.Errorf("file size %d: %w", f.UncompressedSize64, ErrTooLarge)
	}
	switch {
	case mode&fs.ModeDevice != 0:
		return nil, fmt.Errorf("device node: %w", ErrSpecial)
	case mode&fs.ModeNamedPipe != 0:
		return nil, fmt.Errorf("fifo: %w", ErrSpecial)
	case mode&fs.ModeSocket != 0:
		return nil, fmt.Errorf("socket: %w", ErrSpecial)
	case mode&fs.ModeIrregular != 0:
		return nil, fmt.Errorf("irregular file: %w", ErrSpecial)
	case mode.IsDir():
		h.typ = kindDir
	case mode&fs.ModeSymlink != 0:
		h.typ = kindSymlink
	default:
		h.typ = kindFile
	}
	h.mode = mode & modeBits
	if creator := f.CreatorVersion >> 8; creator != creatorUnix && creator != creatorMacOS {
		// DOS attributes give 0666/0777: use conventional modes instead
		// of world-writable ones.
		h.mode = 0o644
		if h.typ == kindDir {
			h.mode = 0o755
		}
	}
	return h, nil
}

// checkZipLayout refuses zip bombs: a declared size out of proportion to the
// archive, and entries whose compressed data overlap (one deflate stream
// referenced by many entries).
func checkZipLayout(files []*zip.File, size, maxRatio int64) error {
	var total uint64
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(files))
	for _, f := range files {
		total += f.UncompressedSize64
		off, err := f.DataOffset()
		if err != nil {
			return fmt.Errorf("entry %q: %w: %v", f.Name, ErrCorrupt, err)
		}
		end := off + int64(f.CompressedSize64)
		if f.CompressedSize64 > uint64(size) || end > size {
			return fmt.Errorf("entry %q: data past the end of the archive: %w", f.Name, ErrCorrupt)
		}
		spans = append(spans, span{off, end})
	}
	if total > ratioFloor && size > 0 && total/uint64(size) > uint64(maxRatio) {
		return fmt.Errorf("declared size %d is over %d times the archive's %d bytes: %w", total, maxRatio, size, ErrTooLarge)
	}
	slices.SortFunc(spans, func(a, b span) int { return int(min(max(a.start-b.start, -1), 1)) })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return fmt.Errorf("entries share compressed data (zip bomb): %w", ErrCorrupt)
		}
	}
	return nil
}

// countingReaderAt reports progress for random-access input.
type countingReaderAt struct {
	ra       io.ReaderAt
	n, total int64
	progress func(done, total int64)
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.ra.ReadAt(p, off)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(min(c.n, c.total), c.total)
	}
	return n, err
}
