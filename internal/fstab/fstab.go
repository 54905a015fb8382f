package fstab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/run"
)

// The tags a device can be named by (genfstab's -U, -L, -t TAG).
const (
	TagUUID      = "UUID"
	TagLabel     = "LABEL"
	TagPartUUID  = "PARTUUID"
	TagPartLabel = "PARTLABEL"
	// TagDevice names the device by its path (/dev/vda2): genfstab's
	// default without -U or -L, fragile when disks are renumbered.
	TagDevice = "DEVICE"
)

// Tags lists the accepted tags.
func Tags() []string { return []string{TagUUID, TagLabel, TagPartUUID, TagPartLabel, TagDevice} }

// Lookup returns the value of tag (UUID, LABEL...) for a block device, or
// "" when the device has none.
type Lookup func(ctx context.Context, device, tag string) (string, error)

// Blkid is the Lookup that asks blkid(8), which reads the superblock
// itself rather than trusting a udev database that may be stale.
func Blkid(ctx context.Context, device, tag string) (string, error) {
	out, err := run.Output(ctx, run.Cmd{Argv: []string{"blkid", "-p", "-s", tag, "-o", "value", device}})
	if err != nil {
		var re *run.Error
		// blkid exits 2 when the tag is absent.
		if errors.As(err, &re) && re.ExitCode == 2 {
			return "", nil
		}
		return "", fmt.Errorf("blkid %s: %w", device, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Entry is one fstab line.
type Entry struct {
	Source  string // the device as found in the mount table, for the comment
	Spec    string // UUID=..., LABEL=... or the device path
	File    string // the mount point relative to the target
	VFSType string
	Options string
	Pass    int
}

// Options tune Entries.
type Options struct {
	// Tag names devices; empty means UUID.
	Tag string
	// Lookup finds tag values; nil means Default.
	Lookup Lookup
}

// Entries returns the fstab entries of the block-device mounts at or
// below target, in mount order. A device without the tag asked for is
// named by its path and reported in the second result, so the caller can
// warn. Pseudo and network file systems are left out, as are bind mounts
// of a subdirectory (their Root is not "/").
func Entries(ctx context.Context, mounts []Mount, target string, o Options) ([]Entry, []string, error) {
	tag := o.Tag
	if tag == "" {
		tag = TagUUID
	}
	lookup := o.Lookup
	if lookup == nil {
		lookup = Default
	}
	target = filepath.Clean(target)
	var out []Entry
	var warn []string
	for _, m := range visible(mounts) {
		rel, ok := under(m.Point, target)
		if !ok || !strings.HasPrefix(m.Source, "/dev/") || m.Root != "/" {
			continue
		}
		e := Entry{Source: m.Source, Spec: m.Source, File: rel, VFSType: m.FSType,
			Options: mergeOptions(m.Options, m.SuperOpts), Pass: pass(rel, m.FSType)}
		if tag != TagDevice {
			v, err := lookup(ctx, m.Source, tag)
			if err != nil {
				return nil, nil, err
			}
			if v == "" {
				warn = append(warn, fmt.Sprintf("%s has no %s; using the device path", m.Source, tag))
			} else {
				e.Spec = tag + "=" + v
			}
		}
		out = append(out, e)
	}
	return out, warn, nil
}

// visible drops mounts hidden by a later mount on the same point: only
// the top one is what the target will see.
func visible(mounts []Mount) []Mount {
	last := make(map[string]int, len(mounts))
	for i, m := range mounts {
		last[m.Point] = i
	}
	out := make([]Mount, 0, len(mounts))
	for i, m := range mounts {
		if last[m.Point] == i {
			out = append(out, m)
		}
	}
	return out
}

// under returns point relative to target ("/" for target itself).
func under(point, target string) (string, bool) {
	point = filepath.Clean(point)
	if point == target {
		return "/", true
	}
	if target == "/" {
		return point, true
	}
	if rest, ok := strings.CutPrefix(point, target+"/"); ok {
		return "/" + rest, true
	}
	return "", false
}

// mergeOptions joins the per-mount and per-superblock options, dropping
// repeats (rw appears in both) and the ones that cannot be given to
// mount (seclabel is reported, not requested).
func mergeOptions(vfs, super string) string {
	seen := map[string]bool{}
	var out []string
	for _, o := range strings.Split(vfs+","+super, ",") {
		if o == "" || seen[o] || o == "seclabel" {
			continue
		}
		seen[o] = true
		out = append(out, o)
	}
	return strings.Join(out, ",")
}

// pass is fsck's pass number: 1 for the root, 2 for others, 0 for file
// systems that fsck does not check at boot.
func pass(point, fstype string) int {
	switch fstype {
	case "btrfs", "xfs", "zfs", "f2fs", "bcachefs", "nilfs2", "swap":
		return 0
	}
	if point == "/" {
		return 1
	}
	return 2
}

// Write prints entries in genfstab's layout: a comment naming the device,
// then the line, then an empty line.
func Write(w io.Writer, entries []Entry) error {
	for _, e := range entries {
		if _, err := fmt.Fprintf(w, "# %s\n%s\t%s\t%s\t%s\t0 %d\n\n",
			e.Source, escape(e.Spec), escape(e.File), e.VFSType, e.Options, e.Pass); err != nil {
			return err
		}
	}
	return nil
}
