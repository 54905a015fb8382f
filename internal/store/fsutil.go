package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"

	"golang.org/x/sys/unix"
)

// Paths of the database, relative to ROOT and to the database directory.
const (
	dbDir        = "var/lib/recipe"
	installedDir = "installed"
	journalFile  = "journal"
	lockFile     = "lock"
	recordExt    = ".rec"
	// tempPrefix starts the name of every temporary file the store makes,
	// in the database and next to installed files, so that strays are easy
	// to find and no package may own such a name.
	tempPrefix = ".recipe-tmp."

	journalPath = dbDir + "/" + journalFile
)

// writeAtomic replaces name inside r with data: temp file in the same
// directory, fsync, rename, fsync of the directory. The temp name is fixed
// per target so that a crashed writer leaves at most one stray, which
// cleanTemps removes under the lock.
func writeAtomic(r *os.Root, name string, data []byte, durable bool) error {
	tmp := tempName(name)
	f, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && durable {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.Rename(tmp, name)
	}
	if err != nil {
		_ = r.Remove(tmp)
		return err
	}
	if durable {
		return syncDir(r, path.Dir(name), false)
	}
	return nil
}

// tempName is the temp file used to write name atomically.
func tempName(name string) string {
	return path.Join(path.Dir(name), tempPrefix+path.Base(name))
}

func syncDir(r *os.Root, dir string, noSync bool) error {
	if noSync {
		return nil
	}
	d, err := r.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncFS flushes the whole filesystem holding dir of r. One syncfs(2)
// replaces an fsync per installed file: a transaction of 200 packages would
// otherwise pay thousands of fsyncs.
func syncFS(r *os.Root, noSync bool) error {
	if noSync {
		return nil
	}
	d, err := r.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	sc, err := d.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := sc.Control(func(fd uintptr) {
		serr = unix.Syncfs(int(fd))
	}); err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("syncfs %s: %w", d.Name(), serr)
	}
	return nil
}

// moveFile renames src to dst inside r; across filesystems (EXDEV) it
// copies instead and leaves src in place.
func moveFile(r *os.Root, src, dst string) error {
	err := r.Rename(src, dst)
	if !errors.Is(err, syscall.EXDEV) {
		return err
	}
	in, err := r.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := r.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// exists reports whether name exists (without following a final symlink).
func exists(r *os.Root, name string) (bool, error) {
	_, err := r.Lstat(name)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, err
}

// removeIfExists removes name; a missing name is not an error, which makes
// every removal step idempotent.
func removeIfExists(r *os.Root, name string) error {
	err := r.Remove(name)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// removeEmptyDir removes dir if it is empty; a missing or non-empty dir is
// left alone without error.
func removeEmptyDir(r *os.Root, dir string) error {
	st, err := r.Lstat(dir)
	if err != nil || !st.IsDir() {
		return nil
	}
	err = r.Remove(dir)
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST) {
		return nil
	}
	return err
}
