package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/run"
)

// isoBlock is the ISO 9660 logical block size.
const isoBlock = 2048

// FileExtent returns where the file at path (such as
// "/LiveOS/squashfs.img") lies in the ISO image: its byte offset and size,
// as xorriso, the reference reader, reports them. A file split into
// several extents (over 4 GiB) is reported by its first.
func FileExtent(ctx context.Context, iso, path string) (offset, size int64, err error) {
	out, err := run.Output(ctx, run.Cmd{Argv: []string{
		"xorriso", "-abort_on", "FAILURE", "-indev", iso, "-find", path, "-exec", "report_lba", "--",
	}})
	if err != nil {
		return 0, 0, fmt.Errorf("extent of %s in %s: %w", path, iso, err)
	}
	// File data lba:  0 ,     1234 ,     5678 ,  11629568 , '/LiveOS/squashfs.img'
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		text, ok := strings.CutPrefix(sc.Text(), "File data lba:")
		if !ok {
			continue
		}
		f := strings.SplitN(text, ",", 5)
		if len(f) != 5 {
			continue
		}
		lba, err1 := strconv.ParseInt(strings.TrimSpace(f[1]), 10, 64)
		n, err2 := strconv.ParseInt(strings.TrimSpace(f[3]), 10, 64)
		if err1 != nil || err2 != nil {
			return 0, 0, fmt.Errorf("extent of %s in %s: bad xorriso line %q", path, iso, sc.Text())
		}
		return lba * isoBlock, n, nil
	}
	return 0, 0, fmt.Errorf("extent of %s in %s: xorriso reports no such file", path, iso)
}

// CorruptCopy copies the ISO src to dst and inverts one byte in the middle
// of the file at path inside it, as a bad burn or a failing stick would.
// It returns the offset of that byte in dst. A media check must then fail,
// while the ISO 9660 tree, the boot loaders and the kernel stay intact.
func CorruptCopy(ctx context.Context, src, dst, path string) (int64, error) {
	off, size, err := FileExtent(ctx, src, path)
	if err != nil {
		return 0, err
	}
	if size == 0 {
		return 0, fmt.Errorf("corrupt %s in %s: the file is empty", path, src)
	}
	if err := copyFile(dst, src); err != nil {
		return 0, fmt.Errorf("corrupt %s: %w", path, err)
	}
	at := off + size/2
	f, err := os.OpenFile(dst, os.O_RDWR, 0)
	if err != nil {
		return 0, fmt.Errorf("corrupt %s: %w", path, err)
	}
	err = invertByte(f, at)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("corrupt %s at %d: %w", dst, at, err)
	}
	return at, nil
}

func invertByte(f *os.File, at int64) error {
	var b [1]byte
	if _, err := f.ReadAt(b[:], at); err != nil {
		return err
	}
	b[0] = ^b[0]
	_, err := f.WriteAt(b[:], at)
	return err
}
