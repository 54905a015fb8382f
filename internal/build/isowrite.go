package build

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

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/run"
)

// pipeSize is the FIFO's buffer: fewer, larger reads than the default
// 64 KiB while xorriso streams half a GiB.
const pipeSize = 1 << 20

// writeISO makes the image iso.Out with xorriso. With iso.ImplantMD5 it
// implants the MD5 that implantisomd5 --force would, summed while the
// image is written rather than in a second pass over it: xorriso writes
// the image into a FIFO (it writes a FIFO sequentially, with the same
// bytes as a file), and this process copies it into the file and sums
// it. As with boot.BuildISO, the image is written beside iso.Out and
// renamed into place, so a failed run leaves no ISO and no ISO without
// its MD5.
func writeISO(ctx context.Context, iso boot.ISO, log io.Writer) error {
	if !iso.ImplantMD5 {
		fmt.Fprintf(log, "$ %s\n", run.Quote(boot.XorrisoArgs(iso)))
		return boot.BuildISO(ctx, iso, run.Cmd{Stdout: log, Stderr: log})
	}
	final := iso.Out
	tmp := final + ".tmp"
	// The FIFO goes to the temporary directory: the output's file
	// system need not support FIFOs.
	dir, err := os.MkdirTemp("", "levitate-xorriso-")
	if err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	defer os.RemoveAll(dir)
	fifo := filepath.Join(dir, "image")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	// Both ends are opened here, without blocking: the read end first,
	// then a write end of our own that keeps the reader from seeing an
	// end of file before xorriso has opened the FIFO, or at all if
	// xorriso fails first. Closing it after xorriso exits ends the copy.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	defer r.Close()
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("iso: %w", err)
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
		appData, err := copyImage(tmp, r)
		if err != nil {
			cancel() // xorriso would block on the full FIFO
		}
		done <- copied{appData, err}
	}()

	iso.Out, iso.ImplantMD5 = fifo, false
	c := run.Cmd{Argv: boot.XorrisoArgs(iso), Stdout: log, Stderr: log}
	if iso.Epoch >= 0 {
		c.Env = []string{"SOURCE_DATE_EPOCH=" + strconv.FormatInt(iso.Epoch, 10)}
	}
	fmt.Fprintf(log, "$ %s\n", run.Quote(c.Argv))
	runErr := run.Run(ctx, c)
	w.Close()
	res := <-done
	err = errors.Join(res.err, runErr)
	if err == nil {
		fmt.Fprintf(log, "implanted (as implantisomd5 --force): %s\n", bytes.TrimRight(res.appData, " "))
		err = implantAppData(tmp, res.appData)
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("iso: %w", err)
	}
	return nil
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
