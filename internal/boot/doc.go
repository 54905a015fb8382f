// Package boot makes the boot tree of a live ISO, everything that does not
// need the root filesystem: the GRUB and ISOLINUX menus, the GRUB core
// images, efiboot.img (made with mkfs.fat and mtools, never mounted) and
// the xorriso argument list of a hybrid image that boots as CD and as USB
// disk on BIOS and UEFI. BuildISO writes that image, with the MD5 that
// checkisomd5 verifies implanted on the way (summed in Go while xorriso
// streams the image through a FIFO, so no implantisomd5 is needed).
//
// Where the loaders come from differs between distributions; a Layout,
// detected from a root directory, holds those paths. Every external tool
// runs through internal/run.
package boot
