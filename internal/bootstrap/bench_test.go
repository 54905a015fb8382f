package bootstrap

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseQuery parses an rpm query the size of the base set's
// (about 12,000 files).
func BenchmarkParseQuery(b *testing.B) {
	var sb strings.Builder
	sum := strings.Repeat("ab", 32)
	for i := range 12000 {
		fmt.Fprintf(&sb, "pkg%d\t8\t0\t%d\t%s\t/usr/lib/modules/6.1/kernel/drivers/x%d.ko\n", i%160, i, sum, i)
	}
	out := []byte(sb.String())
	b.SetBytes(int64(len(out)))
	for b.Loop() {
		if _, err := parseQuery(out); err != nil {
			b.Fatal(err)
		}
	}
}
