package boot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/levitateos/levitate/internal/run"
)

// pipeSize is the FIFO's buffer: fewer, larger reads than the default
// 64 KiB while xorriso streams half a GiB.
const pipeSize = 1 << 20

// BuildISO makes the image iso.Out with xorriso (XorrisoArgs); base
// supplies Stdout, Stderr (the stage log, which also gets the command
// line) and extra Env. With iso.ImplantMD5 it implants the MD5 that
// implantisomd5 --force would, summed while the image is written rather
// than in a second pass over it: xorriso writes the image into a FIFO
// (it writes a FIFO sequentially, with the same bytes as a file), and
// this process copies it into the file and sums it. The image is written
// beside iso.Out and renamed into place, so a failed or killed run leaves
// no half-written ISO and no ISO without its MD5.
func BuildISO(ctx context.Context, iso ISO, base run.Cmd) error {
	final := iso.Out
	tmp := final + ".tmp"
	_ = os.Remove(tmp)
	var err error
	if iso.ImplantMD5 {
		err = writeImplanted(ctx, iso, tmp, base)
	} else {
		iso.Out = tmp
		err = runXorriso(ctx, iso, base)
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("iso: %w", err)
	}
	return nil
}

// runXorriso runs xorriso for iso, with SOURCE_DATE_EPOCH set when the
// image has a fixed date, and logs its command line to base.Stdout.
func runXorriso(ctx context.Context, iso ISO, base run.Cmd) error {
	c := base
	c.Argv = XorrisoArgs(iso)
	if iso.Epoch >= 0 {
		c.Env = append(append([]string(nil), c.Env...), "SOURCE_DATE_EPOCH="+strconv.FormatInt(iso.Epoch, 10))
	}
	logf(base.Stdout, "$ %s\n", run.Quote(c.Argv))
	return run.Run(ctx, c)
}

func logf(w io.Writer, format string, a ...any) {
	if w != nil {
		fmt.Fprintf(w, format, a...)
	}
}

// writeImplanted has xorriso write the image of iso into a FIFO, copies
// it into a new file at path while summing it, and implants the sum.
func writeImplanted(ctx context.Context, iso ISO, path string, base run.Cmd) error {
	// The FIFO goes to the temporary directory: the output's file
	// system need not support FIFOs.
	dir, err := os.MkdirTemp("", "levitate-xorriso-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fifo := filepath.Join(dir, "image")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		return fmt.Errorf("mkfifo %s: %w", fifo, err)
	}
	// Both ends are opened here, without blocking: the read end first,
	// then a write end of our own that keeps the reader from seeing an
	// end of file before xorriso has opened the FIFO, or at all if
	// xorriso fails first. Closing it after xorriso exits ends the copy.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer w.Close()
	if rc, err := r.SyscallConn(); err == nil {
		// Only a hint: the copy works with any buffer size.
		_ = rc.Control(func(fd uintptr) { _, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize) })
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type copied struct {
		appData []byte
		err     error
	}
	done := make(chan copied, 1)
	go func() {
		appData, err := copyImage(path, r)
		if err != nil {
			cancel() // xorriso would block on the full FIFO
		}
		done <- copied{appData, err}
	}()

	iso.Out, iso.ImplantMD5 = fifo, false
	runErr := runXorriso(ctx, iso, base)
	w.Close()
	res := <-done
	if err := errors.Join(res.err, runErr); err != nil {
		return err
	}
	logf(base.Stdout, "implanted (as implantisomd5 --force): %s\n", bytes.TrimRight(res.appData, " "))
	return implantAppData(path, res.appData)
}

// copyImage copies the image from r into a new file at path, summing it
// for implantisomd5, and returns the application data to implant. The
// sum is taken beside the copy, on buffers handed over in order.
func copyImage(path string, r io.Reader) ([]byte, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	const buffers = 4
	free, full := make(chan []byte, buffers), make(chan []byte, buffers)
	for range buffers {
		free <- make([]byte, pipeSize)
	}
	m := newISOMD5()
	summed := make(chan struct{})
	go func() {
		defer close(summed)
		for b := range full {
			m.Write(b)
			free <- b[:cap(b)]
		}
	}()
	for {
		buf := <-free
		n, rerr := r.Read(buf)
		if n > 0 {
			if _, err = f.Write(buf[:n]); err != nil {
				break
			}
			full <- buf[:n]
		}
		if rerr != nil {
			if rerr != io.EOF {
				err = rerr
			}
			break
		}
	}
	close(full)
	<-summed
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return m.AppData()
}
