package build

import (
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/profile"
)

// ParseCompression reads the --compression flag: ALGO, ALGO:LEVEL (gzip
// 1-9, zstd 1-22) or ALGO:OPTION (xz:x86, lz4:hc), with the rules of
// profile.conf's compression key (profile.NewCompression).
func ParseCompression(s string) (profile.Compression, error) {
	algo, arg, hasArg := strings.Cut(s, ":")
	c, err := profile.NewCompression(algo)
	if err == nil && hasArg {
		err = c.Add(arg)
	}
	if err != nil {
		return profile.Compression{}, fmt.Errorf("compression %q: %w", s, err)
	}
	return c, nil
}
