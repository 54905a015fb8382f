package vendorset

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/run"
)

// stage2Script runs inside a private mount namespace (unshare --mount
// --propagation private): the mounts it makes for the chroot vanish with
// the namespace, even when the build is killed. It is a constant; every
// value reaches it as an argument ("$@"), never spliced into the text.
//
// INITRD=No makes Debian's dracut kernel hook skip the initramfs: the test
// set does not ship one (Rocky's kernel builds it at install time) and it
// costs minutes here.
const stage2Script = `set -eu
root=$1 debs=$2
shift 2
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/run"
mkdir -p "$root/var/cache/apt/archives"
mount --bind "$debs" "$root/var/cache/apt/archives"
export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C.UTF-8 INITRD=No
chroot "$root" apt-get -q update
chroot "$root" apt-get -q -y --no-install-recommends -o Dpkg::Use-Pty=0 install "$@"
`

// installOptions say what to install and from where.
type installOptions struct {
	Root, Debs    string // absolute paths
	Mirror, Suite string
	Packages      []string // installed in stage 2
	Log           io.Writer
}

// debootstrapMinbase is stage 1: a minbase root. debootstrap cannot take
// the kernel and dracut in --include (its resolver picks initramfs-tools),
// hence two stages. It runs in its own mount namespace too, because it
// mounts /proc and /sys inside the target.
func debootstrapMinbase(ctx context.Context, o installOptions) error {
	err := run.Run(ctx, run.Cmd{
		Argv: []string{
			"unshare", "--mount", "--propagation", "private", "--",
			"debootstrap", "--variant=minbase", "--cache-dir=" + o.Debs,
			o.Suite, o.Root, o.Mirror,
		},
		Stdout: o.Log, Stderr: o.Log,
	})
	if err != nil {
		return fmt.Errorf("debootstrap minbase: %w", err)
	}
	return nil
}

// aptInstall is stage 2: kernel, dracut and the rest with apt inside the
// chroot.
func aptInstall(ctx context.Context, o installOptions) error {
	files := map[string]string{
		"etc/dracut.conf.d/90-levitate-hostonly.conf": "# a generic initramfs: the test set is not tied to this machine\nhostonly=\"no\"\n",
		"usr/sbin/policy-rc.d":                        "#!/bin/sh\n# no services start while the set is installed\nexit 101\n",
	}
	for name, body := range files {
		p := filepath.Join(o.Root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("apt install: %w", err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			return fmt.Errorf("apt install: %w", err)
		}
	}
	argv := append([]string{
		"unshare", "--mount", "--propagation", "private", "--",
		"sh", "-c", stage2Script, "stage2", o.Root, o.Debs,
	}, o.Packages...)
	if err := run.Run(ctx, run.Cmd{Argv: argv, Stdout: o.Log, Stderr: o.Log}); err != nil {
		return fmt.Errorf("apt install in %s: %w", o.Root, err)
	}
	if err := os.Remove(filepath.Join(o.Root, "usr/sbin/policy-rc.d")); err != nil {
		return fmt.Errorf("apt install: %w", err)
	}
	return nil
}

// mountsBelow lists the mount points at or under dir, from
// /proc/self/mountinfo; a work tree with one must not be removed.
func mountsBelow(dir string) ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("check mounts: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}

// unescapeMount undoes mountinfo's octal escapes (\040 for space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var n int
			if _, err := fmt.Sscanf(s[i+1:i+4], "%03o", &n); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// removeWork removes a work directory after making sure nothing is
// mounted inside it.
func removeWork(dir string) error {
	mps, err := mountsBelow(dir)
	if err != nil {
		return err
	}
	if len(mps) > 0 {
		return fmt.Errorf("not removing %s: still mounted: %s", dir, strings.Join(mps, ", "))
	}
	return os.RemoveAll(dir)
}
