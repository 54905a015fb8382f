package build

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// copyXattrs copies the extended attributes of src (file capabilities,
// security labels) onto dst; a file system without them has none to copy.
func copyXattrs(dst, src string) error {
	names, err := xattrCall(func(b []byte) (int, error) { return unix.Llistxattr(src, b) })
	if errors.Is(err, unix.ENOTSUP) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list xattrs of %s: %w", src, err)
	}
	for _, name := range bytes.Split(names, []byte{0}) {
		if len(name) == 0 {
			continue
		}
		n := string(name)
		val, err := xattrCall(func(b []byte) (int, error) { return unix.Lgetxattr(src, n, b) })
		if err != nil {
			return fmt.Errorf("xattr %s of %s: %w", n, src, err)
		}
		if err := unix.Lsetxattr(dst, n, val, 0); err != nil {
			return fmt.Errorf("xattr %s of %s: %w", n, dst, err)
		}
	}
	return nil
}

// xattrCall runs a size-probing xattr call: first for the size, then
// for the data.
func xattrCall(f func([]byte) (int, error)) ([]byte, error) {
	for {
		n, err := f(nil)
		if err != nil || n == 0 {
			return nil, err
		}
		buf := make([]byte, n)
		n, err = f(buf)
		if errors.Is(err, unix.ERANGE) {
			continue // it grew in between
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}
