package fstab

import (
	"os"
	"path/filepath"
	"testing"
)

func TestByUdev(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "vda2")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for sub, name := range map[string]string{"by-uuid": "1111-root", "by-label": `my\x20root`} {
		if err := os.MkdirAll(filepath.Join(dir, "disk", sub), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("../../vda2", filepath.Join(dir, "disk", sub, name)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ device, tag, want string }{
		{dev, TagUUID, "1111-root"},
		{dev, TagLabel, "my root"},
		{dev, TagPartUUID, ""},
		{dev, TagDevice, ""},
		{filepath.Join(dir, "other"), TagUUID, ""},
	}
	for _, tt := range tests {
		if got := ByUdev(filepath.Join(dir, "disk"), tt.device, tt.tag); got != tt.want {
			t.Errorf("ByUdev(%s, %s) = %q; want %q", tt.device, tt.tag, got, tt.want)
		}
	}
}
