package fstab

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// BenchmarkEntries parses the fixture mount table and builds its entries.
func BenchmarkEntries(b *testing.B) {
	src, err := os.ReadFile("testdata/mountinfo.txt")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ms, err := ParseMountinfo(bytes.NewReader(src), "mountinfo")
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Entries(context.Background(), ms, "/mnt", Options{Lookup: fakeLookup}); err != nil {
			b.Fatal(err)
		}
	}
}
