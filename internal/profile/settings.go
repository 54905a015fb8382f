package profile

import (
	"cmp"
	"io/fs"
	"strconv"
)

// BootMode is one way the ISO boots.
type BootMode string

// The boot modes. A profile picks one BIOS loader (BIOSGrub or Isolinux)
// and/or UEFIGrub.
const (
	BIOSGrub BootMode = "bios-grub" // GRUB El Torito image + hybrid MBR
	UEFIGrub BootMode = "uefi-grub" // shim + GRUB in an EFI system partition
	Isolinux BootMode = "isolinux"  // ISOLINUX El Torito image + isohybrid MBR
)

// bootModeNames lists the valid boot modes in documentation order.
func bootModeNames() []string {
	return []string{string(BIOSGrub), string(UEFIGrub), string(Isolinux)}
}

// Compression is the squashfs compressor and its tuning.
type Compression struct {
	Algo  string // xz, zstd, lz4, gzip
	Level int    // gzip 1-9, zstd 1-22; 0 means the tool's default
	// Option is "x86" for xz (the BCJ filter for x86 code) or "hc" for
	// lz4 (high compression); empty otherwise.
	Option string
}

// String formats c as written in profile.conf.
func (c Compression) String() string {
	s := c.Algo
	if c.Level != 0 {
		s += " " + strconv.Itoa(c.Level)
	}
	if c.Option != "" {
		s += " " + c.Option
	}
	return s
}

// MksquashfsArgs returns the mksquashfs options that select c.
func (c Compression) MksquashfsArgs() []string {
	args := []string{"-comp", c.Algo}
	switch {
	case c.Level != 0:
		args = append(args, "-Xcompression-level", strconv.Itoa(c.Level))
	case c.Algo == "xz" && c.Option == "x86":
		args = append(args, "-Xbcj", "x86")
	case c.Algo == "lz4" && c.Option == "hc":
		args = append(args, "-Xhc")
	}
	return args
}

// InitramfsCompressArgv returns the host command that compresses an
// uncompressed initramfs from stdin to stdout with c's algorithm, in a
// form the kernel unpacks: xz with CRC32 checks (the kernel's decoder
// knows no other), lz4 in its legacy frame format. Both multi-threaded
// compressors use every core (-T0). Levels follow c where the tool has
// them; zstd stops at 19, past which --ultra windows would outgrow
// what the kernel's decoder is given.
func (c Compression) InitramfsCompressArgv() []string {
	switch c.Algo {
	case "xz":
		return []string{"xz", "-c", "-T0", "--check=crc32", "--lzma2=dict=1MiB"}
	case "lz4":
		return []string{"lz4", "-c", "-l", "-9"}
	case "gzip":
		return []string{"gzip", "-c", "-n", "-" + strconv.Itoa(cmp.Or(c.Level, 9))}
	}
	return []string{"zstd", "-c", "-q", "-T0", "-" + strconv.Itoa(min(cmp.Or(c.Level, 3), 19))}
}

// Permission is one archiso-style file_permissions entry: the owner,
// group and mode that a path in airootfs gets in the installed root.
type Permission struct {
	Path  string // absolute path in the root, as written
	Owner string // a user name or a numeric id
	Group string // a group name or a numeric id
	Mode  fs.FileMode
	Line  int // line in profile.conf
	Col   int // column of Path in that line
}

// Field is one os-release KEY=value pair, in file order.
type Field struct {
	Key, Value string
}

// Settings is the content of profile.conf, with defaults for what it does
// not set.
type Settings struct {
	Label            string // ISO 9660 volume id, also CDLABEL= on the kernel command line
	ISOName          string // file name stem of the ISO
	ISOVersion       string
	Publisher        string
	Application      string
	BootModes        []BootMode
	Compression      Compression
	KernelCmdline    []string // added after the live boot arguments
	Permissions      []Permission
	VerifySignatures bool
	// Repository puts the packages of the closure on the medium as an
	// rpm-md repository, for recipe bootstrap.
	Repository bool
	RecipesDir string // absolute; empty when not set
	Hostname   string
	OSRelease  []Field
	Sources    []Source // package sources, in profile.conf order

	// Lines records where each key was set (profile.conf line), for
	// checks that report against a setting later, such as CheckClosure.
	Lines map[string]int
}

// DefaultSettings returns the settings of a profile without profile.conf.
func DefaultSettings() Settings {
	return Settings{
		Label:            "LEVITATEOS",
		ISOName:          "levitateos",
		ISOVersion:       "latest",
		Publisher:        "LevitateOS",
		Application:      "LevitateOS Live",
		BootModes:        []BootMode{BIOSGrub, UEFIGrub},
		Compression:      Compression{Algo: "zstd", Level: 15},
		VerifySignatures: true,
		Repository:       true,
		Lines:            map[string]int{},
	}
}

// HasMode reports whether m is among the boot modes.
func (s *Settings) HasMode(m BootMode) bool {
	for _, x := range s.BootModes {
		if x == m {
			return true
		}
	}
	return false
}
