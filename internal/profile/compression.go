package profile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/suggest"
)

// compressionAlgos are the squashfs compressors a profile may name.
func compressionAlgos() []string { return []string{"xz", "zstd", "lz4", "gzip"} }

// compressionLevels are the level ranges of the algorithms that take one.
func compressionLevels() map[string][2]int { return map[string][2]int{"gzip": {1, 9}, "zstd": {1, 22}} }

// compressionOptions are the one option of the algorithms that take one.
func compressionOptions() map[string]string { return map[string]string{"xz": "x86", "lz4": "hc"} }

// NewCompression returns the compression algo with its defaults; an
// unknown algorithm is an error naming the allowed ones and the closest.
// profile.conf's compression key and levitateiso's --compression flag
// both go through it and Add, so they accept the same things.
func NewCompression(algo string) (Compression, error) {
	algos := compressionAlgos()
	if !slices.Contains(algos, algo) {
		return Compression{}, fmt.Errorf("unknown compression %q (allowed: %s)%s", algo, strings.Join(algos, ", "), suggest.DidYouMean(algo, algos))
	}
	return Compression{Algo: algo}, nil
}

// Add applies one argument, a level or the algorithm's option, to c.
func (c *Compression) Add(arg string) error {
	levels, options := compressionLevels(), compressionOptions()
	if n, err := strconv.Atoi(arg); err == nil {
		r, ok := levels[c.Algo]
		if !ok || c.Level != 0 {
			return fmt.Errorf("compression %s takes no level (%q)", c.Algo, arg)
		}
		if n < r[0] || n > r[1] {
			return fmt.Errorf("%s level %d out of range %d-%d", c.Algo, n, r[0], r[1])
		}
		c.Level = n
		return nil
	}
	if opt, ok := options[c.Algo]; ok && arg == opt && c.Option == "" {
		c.Option = opt
		return nil
	}
	allowed := "nothing"
	if r, ok := levels[c.Algo]; ok {
		allowed = fmt.Sprintf("a level %d-%d", r[0], r[1])
	} else if opt, ok := options[c.Algo]; ok {
		allowed = strconv.Quote(opt)
	}
	return fmt.Errorf("unexpected %q after compression %s; allowed: %s", arg, c.Algo, allowed)
}
