// Package vmtest boots ISO images and disk images in QEMU and drives them
// through their serial console.
//
// A VM boots under SeaBIOS or OVMF (optionally with Secure Boot), with the
// ISO attached as a CD-ROM or as a USB stick, or from a virtio disk. The
// harness keeps the whole console log, follows the boot through its stages
// (firmware, bootloader, kernel, initramfs, userspace, shell), fails fast on
// known failure strings, names the stage in which a boot stalled, and runs
// commands in the guest with a marker protocol:
//
//	echo __BEGIN_$((7+0))__; CMD; echo __END_$((7+0))__ $?
//
// The arithmetic makes the shell print __BEGIN_7__ while the echoed command
// line never contains that text, so the driver cannot mistake its own
// typing for the guest's answer.
//
// A boot can pick a menu entry or log in (Options.Expect): once the
// console shows that the menu or the login prompt waits for keys, the
// harness types the entry's hotkey or the user name and password, as a
// person would. Overriding the kernel command line or rebuilding the
// ISO with another default would boot something other than what the
// shipped menu offers.
//
// QEMU runs through internal/run; the harness never calls os/exec itself.
// Boots are slow under TCG (no KVM on the project's machines): run them one
// after another, never in parallel.
package vmtest
