package boot

import "strings"

// Menu describes the boot menu shared by the GRUB and ISOLINUX configs.
type Menu struct {
	Title      string   // product name, e.g. "LevitateOS"
	Label      string   // volume label: search --label and CDLABEL=
	Kernel     string   // absolute path of the kernel on the ISO
	Initrd     string   // absolute path of the initramfs on the ISO
	ExtraArgs  []string // profile additions to the kernel command line
	Timeout    int      // seconds before the default entry boots
	MediaCheck bool     // add "Test this media & start" (rd.live.check)
}

// Default paths of the kernel and initramfs on the ISO.
const (
	DefaultKernel = "/boot/x86_64/vmlinuz"
	DefaultInitrd = "/boot/x86_64/initramfs.img"
)

// EntryKind says what a menu entry does.
type EntryKind uint8

// The entry kinds.
const (
	BootLinux EntryKind = iota // boot the live kernel
	LocalDisk                  // hand over to the local drive or firmware
)

// Entry is one item of the boot menu.
type Entry struct {
	ID    string // short name; ISOLINUX's LABEL and GRUB's --id
	Title string
	Kind  EntryKind
	Args  []string // kernel command line for BootLinux
	// Key is the entry's hotkey, a lower-case letter: GRUB boots the
	// entry at once, ISOLINUX's menu highlights it (Enter boots). Tests
	// use it to pick an entry through the serial console.
	Key string
}

// The entry IDs.
const (
	EntryLive       = "live"
	EntrySafe       = "safe"
	EntryRAM        = "ram"
	EntryMediaCheck = "check"
	EntryLocal      = "local"
)

// LiveArgs returns the kernel command line of the live entries. The last
// console= becomes /dev/console, so systemd and the login prompt go to
// the serial port that the tests read.
func (m Menu) LiveArgs() []string {
	args := []string{
		"root=live:CDLABEL=" + m.Label,
		"rd.live.image",
		"rd.live.overlay.overlayfs=1",
		"console=tty0",
		"console=ttyS0,115200",
	}
	return append(args, m.ExtraArgs...)
}

// Entries returns the menu: Live (default), Safe Mode, Copy to RAM, an
// optional media check, and Boot from local drive.
func (m Menu) Entries() []Entry {
	live := m.LiveArgs()
	// GRUB's menu reserves e (edit) and c (command line).
	entries := []Entry{
		{ID: EntryLive, Title: m.Title + " (live)", Args: live, Key: "l"},
		{ID: EntrySafe, Title: m.Title + " (safe mode: nomodeset)", Args: appendArgs(live, "nomodeset"), Key: "s"},
		{ID: EntryRAM, Title: m.Title + " (copy to RAM)", Args: appendArgs(live, "rd.live.ram"), Key: "r"},
	}
	if m.MediaCheck {
		entries = append(entries, Entry{ID: EntryMediaCheck, Title: "Test this media & start " + m.Title, Args: appendArgs(live, "rd.live.check"), Key: "t"})
	}
	return append(entries, Entry{ID: EntryLocal, Title: "Boot from local drive", Kind: LocalDisk, Key: "b"})
}

// Entry returns the entry with this ID.
func (m Menu) Entry(id string) (Entry, bool) {
	for _, e := range m.Entries() {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

func appendArgs(base []string, more ...string) []string {
	return append(append([]string(nil), base...), more...)
}

// cmdline joins kernel arguments.
func cmdline(args []string) string { return strings.Join(args, " ") }
