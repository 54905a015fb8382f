package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/run"
)

// SquashfsPath is the live root image in the ISO tree, where dracut's
// dmsquash-live looks for it.
const SquashfsPath = "LiveOS/squashfs.img"

// SquashfsExcludes are left out of the image: the contents of the API
// filesystems and scratch directories (the mount points stay), any
// initramfs the kernel package made (the ISO carries its own), and the
// shared-memory index of the rpm database: SQLite rebuilds it when the
// database is opened, and its bytes differ from build to build.
func SquashfsExcludes() []string {
	return []string{"proc/*", "sys/*", "dev/*", "run/*", "tmp/*", "var/tmp/*",
		"boot/initramfs-*", "boot/initrd.img-*",
		strings.TrimPrefix(DBPath, "/") + "/*-shm", strings.TrimPrefix(SysimageDBPath, "/") + "/*-shm"}
}

func squashfsStage(o Options) Stage {
	return Stage{
		Name:    StageSquashfs,
		Doc:     "mksquashfs " + o.Settings.Compression.String() + " of the root",
		Inputs:  []string{o.path(rootDir)},
		Outputs: []string{o.path(treeDir, SquashfsPath)},
		Tools:   []string{"mksquashfs"},
		// dracut writes only below var/tmp, which the image leaves out.
		Beside: true,
		run:    (*builder).squashfs,
	}
}

// MksquashfsArgv returns the command that packs root into out. The
// exclude list comes last: mksquashfs reads every later argument as one.
func MksquashfsArgv(root, out string, c profile.Compression) []string {
	argv := []string{"mksquashfs", root, out, "-noappend", "-no-progress"}
	argv = append(argv, c.MksquashfsArgs()...)
	argv = append(argv, "-wildcards", "-e")
	return append(argv, SquashfsExcludes()...)
}

func (b *builder) squashfs(ctx context.Context) error {
	out := b.opts.path(treeDir, SquashfsPath)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".tmp"
	c := b.cmd(MksquashfsArgv(b.opts.path(rootDir), tmp, b.opts.Settings.Compression)...)
	if b.opts.Epoch >= 0 {
		c.Env = []string{fmt.Sprintf("SOURCE_DATE_EPOCH=%d", b.opts.Epoch)}
	}
	start := time.Now()
	err := run.Run(ctx, c)
	b.compressing(start)
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	b.size = fi.Size()
	return nil
}
