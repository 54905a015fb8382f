package profile

import (
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestCheckClosure(t *testing.T) {
	base := []string{"kernel-core", "dracut", "dracut-live", "dracut-squash"}
	tests := []struct {
		name    string
		conf    string
		closure []string
		want    []string // substrings, one per diagnostic
	}{
		{"complete", "boot-modes = bios-grub uefi-grub", append(slices.Clone(base), "shim-x64", "grub2-efi-x64-cdboot", "grub2-pc", "grub2-pc-modules"), nil},
		{"disk grub is not enough", "boot-modes = uefi-grub", append(slices.Clone(base), "shim-x64", "grub2-efi-x64"), []string{"needs grub2-efi-x64-cdboot (the signed CD GRUB"}},
		{"uefi missing", "boot-modes = uefi-grub", base, []string{
			"profile.conf:1:1: boot mode uefi-grub needs shim-x64",
			"profile.conf:1:1: boot mode uefi-grub needs grub2-efi-x64-cdboot",
		}},
		{"isolinux", "boot-modes = isolinux", base, []string{"boot mode isolinux needs syslinux-nonlinux or syslinux"}},
		{"no live module", "", []string{"kernel", "dracut", "dracut-squash", "shim-x64", "grub2-efi-x64-cdboot", "grub2-pc", "grub2-pc-modules"}, []string{
			"packages.txt: every image needs dracut-live",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, msg := confOne(t, tt.conf)
			if msg != "" {
				t.Fatal(msg)
			}
			p := &Profile{Settings: s}
			ds := p.CheckClosure(func(n string) bool { return slices.Contains(tt.closure, n) })
			if len(ds) != len(tt.want) {
				t.Fatalf("CheckClosure = %d problems:\n%v\nwant %d", len(ds), ds, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(ds[i].String(), w) {
					t.Errorf("CheckClosure[%d] = %q; want it to contain %q", i, ds[i], w)
				}
			}
		})
	}
}

func TestHostTools(t *testing.T) {
	zstd := Compression{Algo: "zstd", Level: 3}
	names := func(ts []HostTool) []string {
		var out []string
		for _, x := range ts {
			out = append(out, x.Names[0])
		}
		return out
	}
	tests := []struct {
		modes []BootMode
		want  []string
	}{
		{[]BootMode{UEFIGrub}, []string{"rpm", "unshare", "chroot", "zstd", "mksquashfs", "mkfs.fat", "mmd", "mcopy", "xorriso"}},
		{[]BootMode{BIOSGrub}, []string{"rpm", "unshare", "chroot", "zstd", "mksquashfs", "grub2-mkimage", "xorriso"}},
		{[]BootMode{Isolinux}, []string{"rpm", "unshare", "chroot", "zstd", "mksquashfs", "xorriso"}},
	}
	for _, tt := range tests {
		if got := names(HostTools(tt.modes, zstd)); !slices.Equal(got, tt.want) {
			t.Errorf("HostTools(%v) = %v; want %v", tt.modes, got, tt.want)
		}
	}
	// The package table: every tool names both distributions' packages.
	for _, tool := range HostTools([]BootMode{BIOSGrub, UEFIGrub}, zstd) {
		if tool.Debian == "" || tool.Rocky == "" || tool.Why == "" {
			t.Errorf("HostTool %v lacks a package or a reason", tool.Names)
		}
	}
	if got := HostTools(nil, zstd)[4].Why; !strings.Contains(got, "-comp zstd -Xcompression-level 3") {
		t.Errorf("mksquashfs reason = %q; want the compression options", got)
	}
}

func TestMissingTools(t *testing.T) {
	onPath := map[string]bool{"rpm": true, "grub-mkimage": true, "xorriso": true, "mmd": true}
	look := func(n string) (string, error) {
		if onPath[n] {
			return "/usr/bin/" + n, nil
		}
		return "", errors.New("not found")
	}
	missing := MissingTools(HostTools([]BootMode{BIOSGrub, UEFIGrub}, Compression{Algo: "xz"}), look)
	var got []string
	for _, m := range missing {
		got = append(got, m.String())
	}
	want := []string{
		"unshare (Debian: util-linux, Rocky: util-linux): a private mount namespace, so no mount outlives the build",
		"chroot (Debian: coreutils, Rocky: coreutils): runs dracut inside the root",
		"xz (Debian: xz-utils, Rocky: xz): compresses the initramfs (xz -c -T0 --check=crc32 --lzma2=dict=1MiB)",
		"mksquashfs (Debian: squashfs-tools, Rocky: squashfs-tools): writes LiveOS/squashfs.img (-comp xz)",
		"mkfs.fat (Debian: dosfstools, Rocky: dosfstools): formats efiboot.img",
		"mcopy (Debian: mtools, Rocky: mtools): copies the EFI loaders into efiboot.img without mounting it",
	}
	if !slices.Equal(got, want) {
		t.Errorf("MissingTools = %q; want %q", got, want)
	}
}

// TestHostToolsReal checks the Debian half of the table on this machine:
// a tool that is on PATH belongs to the package the table names.
func TestHostToolsReal(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("not a Debian host")
	}
	// One dpkg -S for every path: it costs about a second per call.
	// usrmerge: PATH finds /usr/bin/x where dpkg may know /bin/x, so ask
	// for both.
	want := map[string]string{} // path -> Debian package in the table
	var args []string
	for _, tool := range HostTools([]BootMode{BIOSGrub, UEFIGrub}, Compression{Algo: "zstd"}) {
		for _, n := range tool.Names {
			if p, err := exec.LookPath(n); err == nil {
				want[p] = tool.Debian
				args = append(args, p, strings.TrimPrefix(p, "/usr"))
			}
		}
	}
	if len(args) == 0 {
		t.Skip("none of the tools is installed")
	}
	out, _ := exec.Command("dpkg", append([]string{"-S"}, args...)...).Output()
	owner := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		pkgs, path, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		pkg, _, _ := strings.Cut(pkgs, ":") // drop ":amd64"
		owner[path] = pkg
		owner["/usr"+path] = pkg
	}
	for p, pkg := range want {
		if got := owner[p]; got != pkg {
			t.Errorf("%s is in Debian package %q; the table says %q", p, got, pkg)
		}
	}
}
