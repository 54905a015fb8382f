package fetch

import (
	"context"
	"io"
	"os"
)

// copyLocal copies the file at p into w.
func (f *fetcher) copyLocal(ctx context.Context, it Item, p string, w *partWriter) error {
	in, err := os.Open(p)
	if err != nil {
		return err
	}
	defer in.Close()
	total := int64(-1)
	if fi, err := in.Stat(); err == nil {
		total = fi.Size()
	}
	buf := make([]byte, copyBufSize)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, err := in.Read(buf)
		if m > 0 {
			if _, werr := w.Write(buf[:m]); werr != nil {
				return werr
			}
			if f.opts.Progress != nil {
				f.opts.Progress(it, w.n, total)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
