// Package chroot runs commands inside a target root with the API file
// systems (/proc, /sys, /dev, /run, /tmp) mounted, as arch-chroot does,
// but in a private mount namespace (unshare --mount): the mounts belong to
// that namespace and vanish with its last process, however it ends, so a
// killed bootstrap or chroot never leaves mounts behind on the host.
//
// The mounting is a constant shell script; the root, the resolv.conf to
// bind and the command come in as positional arguments and are never
// spliced into it.
package chroot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// mountScript mounts the API file systems into the root given as $1 and
// bind-mounts the host's resolv.conf over the root-relative path $2 when
// $2 is not empty. $3 says what to run with the remaining arguments:
// "chroot" runs them inside the root, "host" runs them on the host (rpm
// --root, which chroots itself for scriptlets) with the mounts in place.
// efivarfs is mounted where the host has it, for bootctl.
const mountScript = `set -e
root=$1; resolv=$2; mode=$3; shift 3
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
if [ -d /sys/firmware/efi/efivars ] && [ -d "$root/sys/firmware/efi/efivars" ]; then
  mount -t efivarfs efivarfs "$root/sys/firmware/efi/efivars" || :
fi
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=0755,nosuid,nodev run "$root/run"
mount -t tmpfs -o mode=1777,strictatime,nodev,nosuid tmp "$root/tmp"
if [ -n "$resolv" ]; then
  mount --bind /etc/resolv.conf "$root$resolv"
fi
if [ "$mode" = chroot ]; then
  exec chroot "$root" "$@"
fi
exec "$@"`

// APIDirs are the directories the script mounts on; they must exist in
// the root (Prepare makes them).
func APIDirs() []string { return []string{"proc", "sys", "dev", "run", "tmp"} }

// Tools are the host programs the commands of this package need.
func Tools() []string { return []string{"unshare", "sh", "mount", "chroot"} }

// Argv returns the command that runs argv inside root (chroot'ed) with
// the API file systems mounted in a private mount namespace. resolv is
// the root-relative path of the file to bind the host's /etc/resolv.conf
// over, or "" (see ResolvTarget).
func Argv(root, resolv string, argv ...string) []string {
	return build(root, resolv, "chroot", argv)
}

// HostArgv returns the command that runs argv on the host while root has
// its API file systems mounted, in a private mount namespace: for rpm
// --root, whose scriptlets chroot into root and expect /proc and /dev.
func HostArgv(root string, argv ...string) []string {
	return build(root, "", "host", argv)
}

func build(root, resolv, mode string, argv []string) []string {
	out := []string{"unshare", "--mount", "--propagation", "private", "--",
		"sh", "-c", mountScript, "sh", root, resolv, mode}
	return append(out, argv...)
}

// Prepare checks that root is a directory and creates the API mount
// points it lacks (mode 0555 for proc and sys, 1777 for tmp, as pacstrap
// makes them).
func Prepare(root string) error {
	fi, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("chroot: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("chroot: %s: not a directory", root)
	}
	for _, d := range APIDirs() {
		p := filepath.Join(root, d)
		if _, err := os.Lstat(p); err == nil {
			continue
		}
		mode := fs.FileMode(0o755)
		switch d {
		case "proc", "sys":
			mode = 0o555
		case "tmp":
			mode = fs.ModeSticky | 0o777
		}
		if err := os.Mkdir(p, mode); err != nil {
			return fmt.Errorf("chroot: %w", err)
		}
		if err := os.Chmod(p, mode); err != nil { // umask
			return fmt.Errorf("chroot: %w", err)
		}
	}
	return nil
}

// ResolvTarget returns the root-relative path over which the host's
// /etc/resolv.conf should be bound so that the chroot resolves names, or
// "" when there is nothing to bind over: arch-chroot binds over the file
// the root's /etc/resolv.conf is or points to, and never creates one.
// A symlink is followed inside the root (stub-resolv.conf under /run is
// not there before boot, so it yields "").
func ResolvTarget(root string) string {
	if _, err := os.Stat("/etc/resolv.conf"); err != nil {
		return ""
	}
	p := "/etc/resolv.conf"
	for range 8 {
		fi, err := os.Lstat(filepath.Join(root, p))
		if err != nil {
			return ""
		}
		if fi.Mode().IsRegular() {
			return p
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return ""
		}
		t, err := os.Readlink(filepath.Join(root, p))
		if err != nil {
			return ""
		}
		if !strings.HasPrefix(t, "/") {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = filepath.Clean(t)
	}
	return ""
}

// CheckRoot fails for a user other than root: mount namespaces and
// chroot need CAP_SYS_ADMIN and CAP_SYS_CHROOT.
func CheckRoot() error {
	if os.Geteuid() != 0 {
		return errors.New("must run as root: mount namespaces and chroot need it")
	}
	return nil
}
