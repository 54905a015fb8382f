package build

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/profile"
)

// ParseCompression reads the --compression flag: ALGO, ALGO:LEVEL (gzip
// 1-9, zstd 1-22) or ALGO:OPTION (xz:x86, lz4:hc), with the rules of
// profile.conf's compression key.
func ParseCompression(s string) (profile.Compression, error) {
	algo, arg, _ := strings.Cut(s, ":")
	c := profile.Compression{Algo: algo}
	levels := map[string][2]int{"gzip": {1, 9}, "zstd": {1, 22}}
	options := map[string]string{"xz": "x86", "lz4": "hc"}
	r, hasLevels := levels[algo]
	opt, hasOption := options[algo]
	if !hasLevels && !hasOption {
		return c, fmt.Errorf("compression %q: unknown algorithm (allowed: gzip, lz4, xz, zstd)", s)
	}
	switch {
	case arg == "":
	case hasLevels:
		n, err := strconv.Atoi(arg)
		if err != nil || n < r[0] || n > r[1] {
			return c, fmt.Errorf("compression %q: %s level must be %d-%d", s, algo, r[0], r[1])
		}
		c.Level = n
	case arg == opt:
		c.Option = opt
	default:
		return c, fmt.Errorf("compression %q: %s takes only %q", s, algo, opt)
	}
	return c, nil
}
