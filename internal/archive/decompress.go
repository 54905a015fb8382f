package archive

import (
	"compress/bzip2"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// maxZstdWindow bounds the memory a zstd frame may ask for.
const maxZstdWindow = 256 << 20

// decompressor opens the decompression layer comp over r. The returned
// reader marks its own errors as ErrCorrupt (see corruptReader), and close
// releases decoder resources.
func decompressor(comp string, r io.Reader) (rc io.Reader, closeFn func(), err error) {
	var dr io.Reader
	closeFn = func() {}
	switch comp {
	case "":
		return r, closeFn, nil
	case "gz":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, &corruptErr{comp: "gz header", err: err}
		}
		dr, closeFn = zr, func() { zr.Close() }
	case "xz":
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, nil, &corruptErr{comp: "xz header", err: err}
		}
		dr = zr
	case "zst":
		zr, err := zstd.NewReader(r, zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return nil, nil, &corruptErr{comp: "zst header", err: err}
		}
		dr, closeFn = zr, zr.Close
	case "bz2":
		dr = bzip2.NewReader(r)
	default:
		return nil, nil, fmt.Errorf("unknown compression %q", comp)
	}
	return &corruptReader{r: dr, comp: comp}, closeFn, nil
}

// corruptReader marks decompression failures, so that a truncated or
// damaged stream reads as "corrupt archive" whatever layer notices it.
type corruptReader struct {
	r    io.Reader
	comp string
}

func (c *corruptReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = &corruptErr{comp: c.comp, err: err}
	}
	return n, err
}

type corruptErr struct {
	comp string
	err  error
}

func (e *corruptErr) Error() string {
	if strings.HasSuffix(e.comp, "header") {
		return fmt.Sprintf("%s: %s: %v", ErrCorrupt, e.comp, e.err)
	}
	return fmt.Sprintf("%s: %s stream: %v", ErrCorrupt, e.comp, e.err)
}

func (e *corruptErr) Is(target error) bool { return target == ErrCorrupt }

func (e *corruptErr) Unwrap() error { return e.err }

// countingReader reports input consumption and stops on cancellation.
type countingReader struct {
	ctx      context.Context
	r        io.Reader
	n, total int64
	progress func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n, c.total)
	}
	return n, err
}
