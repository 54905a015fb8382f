package boot

import (
	"fmt"
	"strings"
)

// GRUBConfig returns grub.cfg for both the BIOS and the UEFI GRUB.
//
// The config first finds the ISO by its label, because the UEFI GRUB
// starts on the ESP (efiboot.img), not on the ISO 9660 tree. It then
// turns on the serial console next to the screen.
//
// "Boot from local drive" follows common practice: on UEFI, `exit`
// returns to the firmware, which boots the next entry of its boot order
// (archiso and lorax offer no chainloading there); on BIOS, GRUB
// chainloads the first sector of the first disk that is not the one it
// booted from (lorax's "Boot first drive" chainloads (hd0), which loops
// back into the stick when the ISO was written to USB, the first disk
// then).
func GRUBConfig(m Menu) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# grub.cfg made by levitateiso; BIOS and UEFI GRUB read the same file.")
	w("search --no-floppy --set=root --label %s", m.Label)
	w("set default=0")
	w("set timeout=%d", m.Timeout)
	w("serial --unit=0 --speed=115200")
	w("terminal_input console serial")
	w("terminal_output console serial")
	for _, e := range m.Entries() {
		w("")
		w("menuentry %s --hotkey=%s --id %s {", grubQuote(e.Title), e.Key, e.ID)
		switch e.Kind {
		case BootLinux:
			w("\tlinux %s %s", m.Kernel, cmdline(e.Args))
			w("\tinitrd %s", m.Initrd)
		case LocalDisk:
			w("\tif [ \"$grub_platform\" = efi ]; then")
			w("\t\texit")
			w("\tfi")
			w("\tregexp --set=1 bootdisk '^(hd[0-9]+)' \"$root\"")
			w("\tif [ \"$bootdisk\" = hd0 ]; then")
			w("\t\tset root=hd1")
			w("\telse")
			w("\t\tset root=hd0")
			w("\tfi")
			w("\tchainloader +1")
		}
		w("}")
	}
	return []byte(b.String())
}

// grubQuote quotes s for grub.cfg with single quotes, in which nothing is
// special; a single quote itself is written as '\”.
func grubQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// IsolinuxConfig returns isolinux.cfg with the same menu as GRUBConfig,
// using menu.c32 (see IsolinuxFiles). "Boot from local drive" is
// `LOCALBOOT 0xffff`, which returns to the BIOS to try its next boot
// device, as lorax does.
func IsolinuxConfig(m Menu) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# isolinux.cfg made by levitateiso")
	w("SERIAL 0 115200")
	w("UI menu.c32")
	w("PROMPT 0")
	w("TIMEOUT %d", m.Timeout*10) // tenths of a second
	w("DEFAULT live")
	w("MENU TITLE %s", m.Title)
	for _, e := range m.Entries() {
		w("")
		w("LABEL %s", e.ID)
		w("  MENU LABEL %s", isolinuxHotkey(e.Title, e.Key))
		switch e.Kind {
		case BootLinux:
			w("  LINUX %s", m.Kernel)
			w("  INITRD %s", m.Initrd)
			w("  APPEND %s", cmdline(e.Args))
		case LocalDisk:
			w("  LOCALBOOT 0xffff")
		}
	}
	return []byte(b.String())
}

// isolinuxHotkey marks key in title with menu.c32's "^", which makes it
// the entry's hotkey: the first match that starts a word, else the first
// match. A title without that letter gets no hotkey.
func isolinuxHotkey(title, key string) string {
	if key == "" {
		return title
	}
	lower, k := strings.ToLower(title), strings.ToLower(key)
	first := -1
	for i := 0; i+len(k) <= len(lower); i++ {
		if lower[i:i+len(k)] != k {
			continue
		}
		if i == 0 || !isWordChar(lower[i-1]) {
			first = i
			break
		}
		if first < 0 {
			first = i
		}
	}
	if first < 0 {
		return title
	}
	return title[:first] + "^" + title[first:]
}

func isWordChar(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// IsolinuxFiles lists the syslinux files the ISOLINUX menu needs next to
// isolinux.cfg; isohdpfx.bin is the hybrid MBR given to xorriso.
func IsolinuxFiles() []string {
	return []string{"isolinux.bin", "ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32"}
}
