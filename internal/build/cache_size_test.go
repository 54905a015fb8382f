package build

import (
	"testing"
)

func TestStageCacheSize(t *testing.T) {
	src := cacheTree(t)
	c := newStageCache(t.TempDir(), "rootfs")
	if err := c.store("k1", src); err != nil {
		t.Fatalf("store: %v", err)
	}
	data, ok := c.entry("k1")
	if !ok {
		t.Fatal("entry(k1) missing right after store")
	}
	want, err := treeSize(data)
	if err != nil || want == 0 {
		t.Fatalf("treeSize(entry) = %d, %v", want, err)
	}
	if got, err := c.size("k1"); got != want || err != nil {
		t.Errorf("size(k1) = %d, %v; want %d (treeSize)", got, err, want)
	}
	if got, err := c.size("missing"); err == nil {
		t.Errorf("size(missing) = %d, nil; want an error", got)
	}
}
