package fstab

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// udevDirs maps tags to udev's symlink directories.
func udevDirs() map[string]string {
	return map[string]string{
		TagUUID: "by-uuid", TagLabel: "by-label", TagPartUUID: "by-partuuid", TagPartLabel: "by-partlabel",
	}
}

// Default is the Lookup Entries uses: udev's /dev/disk/by-* symlinks
// first (what lsblk and genfstab see, readable without opening the
// device), then blkid probing the device itself.
func Default(ctx context.Context, device, tag string) (string, error) {
	if v := ByUdev("/dev/disk", device, tag); v != "" {
		return v, nil
	}
	return Blkid(ctx, device, tag)
}

// ByUdev finds the tag of device among the symlinks of dir/by-TAG
// (dir is /dev/disk on a running system), or returns "".
func ByUdev(dir, device, tag string) string {
	sub, ok := udevDirs()[tag]
	if !ok {
		return ""
	}
	want, err := filepath.EvalSymlinks(device)
	if err != nil {
		return ""
	}
	ents, err := os.ReadDir(filepath.Join(dir, sub))
	if err != nil {
		return ""
	}
	for _, e := range ents {
		got, err := filepath.EvalSymlinks(filepath.Join(dir, sub, e.Name()))
		if err == nil && got == want {
			return unhex(e.Name())
		}
	}
	return ""
}

// unhex decodes udev's \xHH escapes in link names (a label "my disk" is
// the link my\x20disk).
func unhex(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
