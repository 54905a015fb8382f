package boot

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

// rockyRoot makes a Rocky-shaped root: the vendor's shim and CD GRUB in
// /boot/efi/EFI/rocky, and the host's GRUB i386-pc files standing in for
// grub2-pc-modules.
func rockyRoot(t *testing.T, i386pc string) string {
	root := fakeRoot(t, "boot/efi/EFI/rocky/shimx64.efi", "boot/efi/EFI/rocky/gcdx64.efi")
	dst := filepath.Join(root, "usr/lib/grub")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(i386pc, filepath.Join(dst, "i386-pc")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestBuildTreeLayouts(t *testing.T) {
	host, mkimage := hostLayout(t)
	testutil.NeedTool(t, "mtype")
	rocky, err := DetectLayout(rockyRoot(t, host.I386PC))
	if err != nil {
		t.Fatal(err)
	}
	unsigned := host
	unsigned.Shim, unsigned.SignedGRUB = "", ""
	tests := []struct {
		name     string
		layout   Layout
		inESP    map[string]string // path in efiboot.img -> content, "" for any
		notInESP []string
		diskInfo bool
		inTree   []string
	}{
		{"rocky", rocky, map[string]string{
			"EFI/BOOT/grub.cfg":    string(GRUBConfig(testMenu())),
			"EFI/BOOT/grubx64.efi": "boot/efi/EFI/rocky/gcdx64.efi",
			"EFI/BOOT/BOOTX64.EFI": "boot/efi/EFI/rocky/shimx64.efi",
		}, nil, false, []string{"EFI/BOOT/grub.cfg", "boot/grub/grub.cfg", "boot/grub/i386-pc/eltorito.img"}},
		{"debian signed", host, map[string]string{"EFI/BOOT/grubx64.efi": "", "EFI/BOOT/BOOTX64.EFI": ""},
			[]string{"EFI/BOOT/grub.cfg"}, true, []string{"boot/grub/grub.cfg", ".disk/info"}},
		{"unsigned", unsigned, map[string]string{"EFI/BOOT/BOOTX64.EFI": ""},
			[]string{"EFI/BOOT/grubx64.efi", "EFI/BOOT/grub.cfg"}, true, []string{"boot/grub/x86_64-efi/normal.mod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tree := filepath.Join(dir, "tree")
			iso, err := BuildTree(context.Background(), TreeSpec{
				Layout: tt.layout, MkImage: mkimage, Menu: testMenu(), BIOS: GRUBBIOS, UEFI: true,
				Tree: tree, Work: filepath.Join(dir, "work"), Epoch: -1,
			})
			if err != nil {
				t.Fatalf("BuildTree = %v", err)
			}
			if iso.EFIBoot == "" || iso.BIOSImage != "boot/grub/i386-pc/eltorito.img" || iso.HybridMBR == "" {
				t.Errorf("BuildTree ISO = %+v; want the boot fields set", iso)
			}
			for p, want := range tt.inESP {
				got, err := exec.Command("mtype", "-i", iso.EFIBoot, "::/"+p).Output()
				if err != nil {
					t.Errorf("efiboot.img lacks %s: %v", p, err)
					continue
				}
				if want != "" && string(got) != want {
					t.Errorf("efiboot.img %s = %.40q; want %.40q", p, got, want)
				}
			}
			for _, p := range tt.notInESP {
				if err := exec.Command("mtype", "-i", iso.EFIBoot, "::/"+p).Run(); err == nil {
					t.Errorf("efiboot.img has %s; want it absent", p)
				}
			}
			for _, p := range tt.inTree {
				if _, err := os.Stat(filepath.Join(tree, p)); err != nil {
					t.Errorf("tree lacks %s", p)
				}
			}
			if _, err := os.Stat(filepath.Join(tree, ".disk/info")); (err == nil) != tt.diskInfo {
				t.Errorf(".disk/info present = %v; want %v", err == nil, tt.diskInfo)
			}
		})
	}
}
