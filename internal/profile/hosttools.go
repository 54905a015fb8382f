package profile

import (
	"fmt"
	"strings"
)

// HostTool is a program the build runs on the host, with the packages
// that provide it on Debian and on Rocky Linux.
type HostTool struct {
	Names  []string // any one of these on PATH will do
	Debian string
	Rocky  string
	Why    string
}

// String formats t as "name (Debian: pkg, Rocky: pkg): why".
func (t HostTool) String() string {
	return fmt.Sprintf("%s (Debian: %s, Rocky: %s): %s", strings.Join(t.Names, " or "), t.Debian, t.Rocky, t.Why)
}

// HostTools returns the tools a build with these boot modes and this
// squashfs compression needs, in the order the build uses them.
func HostTools(modes []BootMode, c Compression) []HostTool {
	tools := []HostTool{
		{Names: []string{"rpm"}, Debian: "rpm", Rocky: "rpm", Why: "installs the packages into the root"},
		{Names: []string{"unshare"}, Debian: "util-linux", Rocky: "util-linux", Why: "a private mount namespace, so no mount outlives the build"},
		{Names: []string{"chroot"}, Debian: "coreutils", Rocky: "coreutils", Why: "runs dracut inside the root"},
		initramfsTool(c),
		{Names: []string{"mksquashfs"}, Debian: "squashfs-tools", Rocky: "squashfs-tools", Why: "writes LiveOS/squashfs.img (" + strings.Join(c.MksquashfsArgs(), " ") + ")"},
	}
	for _, m := range modes {
		switch m {
		case BIOSGrub:
			tools = append(tools, HostTool{Names: []string{"grub2-mkimage", "grub-mkimage"}, Debian: "grub-common", Rocky: "grub2-tools", Why: "builds the GRUB core image for BIOS"})
		case UEFIGrub:
			tools = append(tools,
				HostTool{Names: []string{"mkfs.fat"}, Debian: "dosfstools", Rocky: "dosfstools", Why: "formats efiboot.img"},
				HostTool{Names: []string{"mmd"}, Debian: "mtools", Rocky: "mtools", Why: "makes directories in efiboot.img without mounting it"},
				HostTool{Names: []string{"mcopy"}, Debian: "mtools", Rocky: "mtools", Why: "copies the EFI loaders into efiboot.img without mounting it"},
			)
		}
	}
	return append(tools, HostTool{Names: []string{"xorriso"}, Debian: "xorriso", Rocky: "xorriso", Why: "writes the hybrid ISO"})
}

// initramfsTool is the compressor of the initramfs.
func initramfsTool(c Compression) HostTool {
	argv := c.InitramfsCompressArgv()
	pkgs := map[string][2]string{"zstd": {"zstd", "zstd"}, "xz": {"xz-utils", "xz"}, "lz4": {"lz4", "lz4"}, "gzip": {"gzip", "gzip"}}[argv[0]]
	return HostTool{Names: argv[:1], Debian: pkgs[0], Rocky: pkgs[1], Why: "compresses the initramfs (" + strings.Join(argv, " ") + ")"}
}

// MissingTools returns the tools none of whose names lookPath finds.
// lookPath is run.LookPath in the builder, a fake in tests.
func MissingTools(tools []HostTool, lookPath func(string) (string, error)) []HostTool {
	var missing []HostTool
	for _, t := range tools {
		found := false
		for _, n := range t.Names {
			if _, err := lookPath(n); err == nil {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, t)
		}
	}
	return missing
}
