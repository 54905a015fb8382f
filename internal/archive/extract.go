package archive

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// streamBufSize is the read-ahead between the input and the decompressor.
const streamBufSize = 256 << 10

// Extract extracts the archive at path src into dst, which must not exist or
// be an empty directory. An empty format is detected with DetectFormat.
// Errors are *Error values; after an error dst holds nothing written by
// Extract.
func Extract(ctx context.Context, src string, format Format, dst string, opts Options) (Stats, error) {
	f, err := os.Open(src)
	if err != nil {
		return Stats{}, &Error{Archive: src, Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Stats{}, &Error{Archive: src, Err: err}
	}
	return extract(ctx, src, f, f, fi.Size(), format, dst, &opts)
}

// ExtractReader is Extract for an archive read from r; name is used in
// messages and to detect the format. A zip needs random access: when r is
// not an io.ReaderAt with a Size method it is spooled to a temporary file.
func ExtractReader(ctx context.Context, name string, r io.Reader, format Format, dst string, opts Options) (Stats, error) {
	size := int64(-1)
	var ra io.ReaderAt
	if s, ok := r.(interface {
		io.ReaderAt
		Size() int64
	}); ok {
		ra, size = s, s.Size()
	}
	return extract(ctx, name, r, ra, size, format, dst, &opts)
}

func extract(ctx context.Context, name string, r io.Reader, ra io.ReaderAt, size int64, format Format, dst string, opts *Options) (Stats, error) {
	fail := func(entry string, err error) (Stats, error) {
		return Stats{}, &Error{Archive: name, Entry: entry, Err: err}
	}
	cr := &countingReader{ctx: ctx, r: r, total: size, progress: opts.Progress}
	br := bufio.NewReaderSize(cr, streamBufSize)
	if format == "" {
		head, _ := br.Peek(HeadSize)
		f, err := DetectFormat(name, head)
		if err != nil {
			return fail("", ErrUnknownFormat)
		}
		format = f
	} else if _, err := ParseFormat(string(format)); err != nil {
		return fail("", err)
	}
	root, created, err := prepare(dst)
	if err != nil {
		return fail("", err)
	}
	defer root.Close()
	w := newWriter(ctx, root, opts)
	var entry string
	switch {
	case format == Zip:
		entry, err = extractZipStream(w, br, ra, size, opts)
	case format.isTar():
		entry, err = extractTar(w, br, format.compression())
	default:
		entry, err = extractSingle(w, name, br, format.compression())
	}
	if err == nil {
		entry, err = w.finish()
	}
	w.close()
	w.settle()
	if err != nil {
		cleanup(dst, root, created)
		return fail(entry, err)
	}
	if w.stats.Compressed == 0 {
		w.stats.Compressed = cr.n
	}
	return w.stats, nil
}

// prepare opens dst as a root, creating it when missing, and refuses a
// destination that already holds something.
func prepare(dst string) (root *os.Root, created bool, err error) {
	fi, err := os.Lstat(dst)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrDestination, err)
		}
		created = true
	case err != nil:
		return nil, false, fmt.Errorf("%w: %v", ErrDestination, err)
	case !fi.IsDir():
		return nil, false, fmt.Errorf("%w: %s is not a directory", ErrDestination, dst)
	default:
		names, err := readNames(dst)
		if err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrDestination, err)
		}
		if len(names) > 0 {
			return nil, false, fmt.Errorf("%w: %s is not empty", ErrDestination, dst)
		}
	}
	root, err = os.OpenRoot(dst)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %v", ErrDestination, err)
	}
	return root, created, nil
}

func readNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

// cleanup removes everything an extraction wrote into dst.
func cleanup(dst string, root *os.Root, created bool) {
	if created {
		os.RemoveAll(dst)
		return
	}
	names, _ := readNames(dst)
	for _, n := range names {
		root.RemoveAll(n)
	}
}
