// Package fstab writes fstab(5) lines for the file systems mounted under
// a target directory, as Arch's genfstab does: it reads the kernel's
// mount table (/proc/self/mountinfo), keeps the block-device mounts at or
// below the target, names each device by a tag (UUID by default, or
// LABEL, PARTUUID, PARTLABEL, or the device path) looked up with blkid,
// and prints the mount points relative to the target.
package fstab

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Mount is one line of /proc/self/mountinfo (see proc(5)).
type Mount struct {
	ID, Parent int
	Root       string // the path inside the file system that is mounted
	Point      string // the mount point
	Options    string // per-mount options
	FSType     string
	Source     string
	SuperOpts  string // per-superblock options
}

// ParseMountinfo reads a mountinfo table. Octal escapes (\040 for a
// space) are decoded. A malformed line is an error naming its line.
func ParseMountinfo(r io.Reader, name string) ([]Mount, error) {
	var out []Mount
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		m, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

func parseLine(line string) (Mount, error) {
	fields := strings.Fields(line)
	sep := -1
	for i := 6; i < len(fields); i++ {
		if fields[i] == "-" {
			sep = i
			break
		}
	}
	if sep < 0 || len(fields) < sep+3 {
		return Mount{}, fmt.Errorf("malformed mountinfo line %q", line)
	}
	id, err1 := strconv.Atoi(fields[0])
	parent, err2 := strconv.Atoi(fields[1])
	if err1 != nil || err2 != nil {
		return Mount{}, fmt.Errorf("malformed mount ids in %q", line)
	}
	m := Mount{
		ID: id, Parent: parent,
		Root:    unescape(fields[3]),
		Point:   unescape(fields[4]),
		Options: fields[5],
		FSType:  fields[sep+1],
		Source:  unescape(fields[sep+2]),
	}
	if len(fields) > sep+3 {
		m.SuperOpts = fields[sep+3]
	}
	return m, nil
}

// unescape decodes the \NNN octal escapes the kernel writes for space,
// tab, newline and backslash.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escape encodes a path for fstab, where white space separates fields.
func escape(s string) string {
	r := strings.NewReplacer(`\`, `\134`, " ", `\040`, "\t", `\011`, "\n", `\012`)
	return r.Replace(s)
}
