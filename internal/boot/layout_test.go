package boot

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// fakeRoot makes a root directory holding the given files.
func fakeRoot(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestDetectLayout(t *testing.T) {
	rocky := fakeRoot(t,
		"usr/lib/grub/i386-pc/cdboot.img", "usr/lib/grub/i386-pc/boot_hybrid.img", "usr/lib/grub/i386-pc/kernel.img",
		"boot/efi/EFI/rocky/shimx64.efi", "boot/efi/EFI/rocky/grubx64.efi", "boot/efi/EFI/rocky/gcdx64.efi",
		"boot/efi/EFI/BOOT/BOOTX64.EFI", "usr/share/syslinux/isolinux.bin", "usr/share/syslinux/isohdpfx.bin")
	debian := fakeRoot(t,
		"usr/lib/grub/i386-pc/cdboot.img", "usr/lib/grub/x86_64-efi/normal.mod",
		"usr/lib/shim/shimx64.efi.signed", "usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed",
		"usr/lib/ISOLINUX/isolinux.bin", "usr/lib/ISOLINUX/isohdpfx.bin", "usr/lib/syslinux/modules/bios/ldlinux.c32")
	bare := fakeRoot(t, "etc/hostname")
	tests := []struct {
		name string
		root string
		want Layout
	}{
		{"rocky", rocky, Layout{
			Flavor:     Rocky,
			I386PC:     filepath.Join(rocky, "usr/lib/grub/i386-pc"),
			Shim:       filepath.Join(rocky, "boot/efi/EFI/rocky/shimx64.efi"),
			SignedGRUB: filepath.Join(rocky, "boot/efi/EFI/rocky/gcdx64.efi"),
			Syslinux:   []string{filepath.Join(rocky, "usr/share/syslinux")},
		}},
		{"debian", debian, Layout{
			Flavor:     Debian,
			I386PC:     filepath.Join(debian, "usr/lib/grub/i386-pc"),
			X86_64EFI:  filepath.Join(debian, "usr/lib/grub/x86_64-efi"),
			Shim:       filepath.Join(debian, "usr/lib/shim/shimx64.efi.signed"),
			SignedGRUB: filepath.Join(debian, "usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed"),
			Syslinux:   []string{filepath.Join(debian, "usr/lib/ISOLINUX"), filepath.Join(debian, "usr/lib/syslinux/modules/bios")},
		}},
		{"bare", bare, Layout{Flavor: Debian}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectLayout(tt.root)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DetectLayout(%s) = %+v; want %+v", tt.name, got, tt.want)
			}
		})
	}

	l, _ := DetectLayout(rocky)
	if err := l.CheckBIOSGRUB(); err != nil {
		t.Errorf("rocky CheckBIOSGRUB = %v; want nil", err)
	}
	if got := l.ConfigPaths(); !slices.Equal(got, []string{"EFI/BOOT/grub.cfg", "boot/grub/grub.cfg"}) {
		t.Errorf("rocky ConfigPaths = %v", got)
	}
	if l.SyslinuxFile("isohdpfx.bin") == "" || l.SyslinuxFile("menu.c32") != "" {
		t.Errorf("rocky SyslinuxFile found the wrong files")
	}
	d, _ := DetectLayout(debian)
	if err := d.CheckBIOSGRUB(); err == nil {
		t.Errorf("debian root without boot_hybrid.img: CheckBIOSGRUB = nil; want an error")
	}
	if got := d.SyslinuxFile("ldlinux.c32"); got != filepath.Join(debian, "usr/lib/syslinux/modules/bios/ldlinux.c32") {
		t.Errorf("debian SyslinuxFile(ldlinux.c32) = %q", got)
	}
	b, _ := DetectLayout(bare)
	if b.CheckUEFI() == nil || b.CheckBIOSGRUB() == nil {
		t.Errorf("bare root passes the loader checks")
	}
	if _, err := DetectLayout(filepath.Join(bare, "missing")); err == nil {
		t.Errorf("DetectLayout(missing) = nil error")
	}
}

func TestFindMkImage(t *testing.T) {
	tests := []struct {
		have []string
		want string
	}{
		{[]string{"grub2-mkimage", "grub-mkimage"}, "/usr/bin/grub2-mkimage"},
		{[]string{"grub-mkimage"}, "/usr/bin/grub-mkimage"},
		{nil, ""},
	}
	for _, tt := range tests {
		look := func(n string) (string, error) {
			if slices.Contains(tt.have, n) {
				return "/usr/bin/" + n, nil
			}
			return "", errors.New("not found")
		}
		got, err := FindMkImage(look)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("FindMkImage(%v) = %q, %v; want %q", tt.have, got, err, tt.want)
		}
	}
}
