package boot

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

func TestESPSizeKiB(t *testing.T) {
	tests := []struct {
		sizes []int64
		dirs  int
		want  int64
	}{
		{nil, 0, 256},
		{[]int64{1}, 2, 320},
		{[]int64{1 << 20}, 2, 1408},
		{[]int64{950000, 2500000, 100}, 2, 4032},
	}
	for _, tt := range tests {
		if got := ESPSizeKiB(tt.sizes, tt.dirs); got != tt.want {
			t.Errorf("ESPSizeKiB(%v, %d) = %d; want %d", tt.sizes, tt.dirs, got, tt.want)
		}
	}
}

// writeTemp writes data to a new file in dir.
func writeTemp(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEFIBootReal(t *testing.T) {
	for _, tool := range []string{"mkfs.fat", "mmd", "mcopy", "mdir", "mtype"} {
		testutil.NeedTool(t, tool)
	}
	dir := t.TempDir()
	big := make([]byte, 3<<20) // random, so it does not compress: a sizing check
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	files := []ESPFile{
		{Src: writeTemp(t, dir, "boot.efi", []byte("MZ dummy BOOTX64.EFI\n")), Dst: "EFI/BOOT/BOOTX64.EFI"},
		{Src: writeTemp(t, dir, "grub.efi", big), Dst: "EFI/BOOT/grubx64.efi"},
		{Src: writeTemp(t, dir, "grub.cfg", []byte("search --label X\n")), Dst: "EFI/BOOT/grub.cfg"},
		{Src: writeTemp(t, dir, "font", []byte("font")), Dst: "EFI/BOOT/fonts/unicode.pf2"},
	}
	ctx := context.Background()
	sums := make([][32]byte, 2)
	for i := range sums {
		img := filepath.Join(dir, "efiboot.img")
		if err := EFIBoot(ctx, img, files, 1700000000); err != nil {
			t.Fatalf("EFIBoot = %v", err)
		}
		data, err := os.ReadFile(img)
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = sha256.Sum256(data)
		if _, err := os.Stat(img + ".tmp"); !os.IsNotExist(err) {
			t.Errorf("EFIBoot left %s.tmp behind", img)
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two EFIBoot runs with the same epoch differ")
	}
	img := filepath.Join(dir, "efiboot.img")
	out, err := exec.Command("mdir", "-i", img, "-b", "-/", "::/").CombinedOutput()
	if err != nil {
		t.Fatalf("mdir: %v\n%s", err, out)
	}
	for _, want := range []string{"::/EFI/BOOT/BOOTX64.EFI", "::/EFI/BOOT/grubx64.efi", "::/EFI/BOOT/fonts/unicode.pf2"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("mdir listing lacks %s:\n%s", want, out)
		}
	}
	for _, f := range files {
		got, err := exec.Command("mtype", "-i", img, "::/"+f.Dst).Output()
		if err != nil {
			t.Fatalf("mtype %s: %v", f.Dst, err)
		}
		want, _ := os.ReadFile(f.Src)
		if !bytes.Equal(got, want) {
			t.Errorf("mtype %s: %d bytes differ from the %d written", f.Dst, len(got), len(want))
		}
	}
}

func TestEFIBootErrors(t *testing.T) {
	dir := t.TempDir()
	src := writeTemp(t, dir, "x", []byte("x"))
	tests := []struct {
		name  string
		files []ESPFile
		want  string
	}{
		{"missing source", []ESPFile{{Src: filepath.Join(dir, "nope"), Dst: "EFI/X"}}, "no such file"},
		{"absolute dst", []ESPFile{{Src: src, Dst: "/EFI/X"}}, "clean relative path"},
		{"climbing dst", []ESPFile{{Src: src, Dst: "../X"}}, "clean relative path"},
		{"directory source", []ESPFile{{Src: dir, Dst: "EFI/X"}}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out.img")
			err := EFIBoot(context.Background(), out, tt.files, -1)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("EFIBoot(%v) = %v; want %q", tt.files, err, tt.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("EFIBoot left %s after failing", out)
			}
		})
	}
}
