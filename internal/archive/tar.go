package archive

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// extractTar reads a tar stream, compressed with comp, into w. It returns
// the name of the entry that failed, if any.
func extractTar(w *writer, r io.Reader, comp string) (string, error) {
	dr, closeFn, err := decompressor(comp, r)
	if err != nil {
		return "", err
	}
	defer closeFn()
	tr := tar.NewReader(dr)
	last := ""
	for {
		th, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return last, corrupt(err)
		}
		last = th.Name
		h, err := tarHeader(th)
		if err != nil {
			return th.Name, err
		}
		if err := w.add(h, tr); err != nil {
			return th.Name, corrupt(err)
		}
	}
	if comp == "" {
		return "", nil
	}
	// Read the stream to its end so that its checksum is verified; what
	// follows the tar trailer is padding, bounded like file data.
	if _, err := io.CopyN(io.Discard, dr, w.opts.maxTotal()); err != nil && err != io.EOF {
		return "", corrupt(err)
	}
	return "", nil
}

// corrupt marks the errors archive/tar reports for damaged input.
func corrupt(err error) error {
	if errors.Is(err, ErrCorrupt) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, tar.ErrHeader) ||
		errors.Is(err, tar.ErrFieldTooLong) {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}

// modeBits keeps the parts of a mode that extraction applies.
const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

func tarHeader(th *tar.Header) (*header, error) {
	h := &header{
		name:  th.Name,
		mode:  th.FileInfo().Mode() & modeBits,
		size:  th.Size,
		mtime: th.ModTime,
	}
	switch th.Typeflag {
	case tar.TypeReg, '\x00', tar.TypeCont, tar.TypeGNUSparse: // '\x00': pre-POSIX regular file
		h.typ = kindFile
	case tar.TypeDir:
		h.typ = kindDir
	case tar.TypeSymlink:
		h.typ, h.linkname = kindSymlink, th.Linkname
	case tar.TypeLink:
		h.typ, h.linkname, h.hardlink = kindFile, th.Linkname, true
	case tar.TypeChar:
		return nil, fmt.Errorf("character device: %w", ErrSpecial)
	case tar.TypeBlock:
		return nil, fmt.Errorf("block device: %w", ErrSpecial)
	case tar.TypeFifo:
		return nil, fmt.Errorf("fifo: %w", ErrSpecial)
	default:
		return nil, fmt.Errorf("tar type %q: %w", th.Typeflag, ErrUnsupported)
	}
	return h, nil
}
