package boot

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/run"
)

// ESPFile is one file to put into efiboot.img.
type ESPFile struct {
	Src string // host path
	Dst string // path in the FAT image, like EFI/BOOT/BOOTX64.EFI
}

// ESPSizeKiB returns a FAT image size that holds files of these sizes in
// ndirs directories: every file and directory rounded up to 4 KiB (the
// largest cluster mkfs.fat picks below 256 MiB), plus room for the FATs,
// the root directory and 10% slack, rounded up to 64 KiB.
func ESPSizeKiB(sizes []int64, ndirs int) int64 {
	const cluster = 4096
	var data int64
	for _, s := range sizes {
		data += (s + cluster - 1) / cluster * cluster
	}
	data += int64(ndirs) * cluster
	total := data + data/10 + 256*1024
	kib := (total + 1023) / 1024
	return (kib + 63) / 64 * 64
}

// EFIBoot makes efiboot.img at out holding files, with mkfs.fat and
// mtools, so nothing is mounted. The image is first written beside out
// and renamed into place. With epoch >= 0 (SOURCE_DATE_EPOCH), the volume
// id and every timestamp derive from it and the image is bit-identical
// from run to run.
func EFIBoot(ctx context.Context, out string, files []ESPFile, epoch int64) error {
	var sizes []int64
	dirs := map[string]bool{}
	for _, f := range files {
		fi, err := os.Stat(f.Src)
		if err != nil {
			return fmt.Errorf("efiboot: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("efiboot: %s is not a regular file", f.Src)
		}
		if strings.HasPrefix(f.Dst, "/") || path.Clean(f.Dst) != f.Dst || strings.HasPrefix(f.Dst, "..") {
			return fmt.Errorf("efiboot: destination %q must be a clean relative path", f.Dst)
		}
		sizes = append(sizes, fi.Size())
		for d := path.Dir(f.Dst); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Parents sort before their children, so mmd makes them in order.
	var dirList []string
	for d := range dirs {
		dirList = append(dirList, "::/"+d)
	}
	sort.Strings(dirList)

	tmp := out + ".tmp"
	_ = os.Remove(tmp)
	env := []string{"MTOOLS_SKIP_CHECK=1"}
	mkfs := []string{"mkfs.fat", "-C", "-n", "EFIBOOT"}
	if epoch >= 0 {
		env = append(env, "SOURCE_DATE_EPOCH="+strconv.FormatInt(epoch, 10))
		// --invariant fixes the creation time and the rest; -i then sets
		// a volume id that still differs between releases.
		mkfs = append(mkfs, "--invariant", "-i", fmt.Sprintf("%08X", uint32(epoch)))
	}
	mkfs = append(mkfs, tmp, strconv.FormatInt(ESPSizeKiB(sizes, len(dirs)), 10))
	cmds := [][]string{mkfs}
	if len(dirList) > 0 {
		cmds = append(cmds, append([]string{"mmd", "-i", tmp}, dirList...))
	}
	for _, f := range files {
		cmds = append(cmds, []string{"mcopy", "-i", tmp, f.Src, "::/" + f.Dst})
	}
	for _, argv := range cmds {
		if err := run.Run(ctx, run.Cmd{Argv: argv, Env: env}); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("efiboot: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("efiboot: %w", err)
	}
	return nil
}

// treeFiles lists the regular files under dir as ESPFiles with paths
// relative to dir, for putting an EFI/ tree into efiboot.img.
func treeFiles(dir string) ([]ESPFile, error) {
	var files []ESPFile
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, ESPFile{Src: p, Dst: filepath.ToSlash(rel)})
		return nil
	})
	return files, err
}
