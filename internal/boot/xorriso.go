package boot

import "time"

// ESPTypeGUID is the GPT partition type of an EFI system partition.
const ESPTypeGUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

// isoMBRPartType is the GPT type of the partitions that cover the ISO
// 9660 filesystem and the gap before the ESP: "Microsoft basic data", as
// archiso uses, so that no firmware takes them for an ESP. (The field
// notes spell it A2A0D0EB-E5B9-3344-87C0-68B6B72699C7, which is this
// GUID's on-disk byte order read as text; xorriso then writes a GUID that
// no tool knows.)
const isoMBRPartType = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"

// BIOSLoader selects the BIOS El Torito image and hybrid MBR.
type BIOSLoader uint8

// The BIOS loaders.
const (
	NoBIOS   BIOSLoader = iota
	GRUBBIOS            // GRUB core image + boot_hybrid.img
	ISOLINUX            // isolinux.bin + isohdpfx.bin
)

// ISO is everything xorriso needs for a hybrid image.
type ISO struct {
	Tree        string // directory that becomes the ISO 9660 tree
	Out         string // the ISO file
	Label       string // volume id; must pass profile.CheckLabel
	Publisher   string
	Application string

	BIOS BIOSLoader
	// BIOSImage is the El Torito image, relative to Tree: GRUB's
	// boot/grub/i386-pc/eltorito.img or isolinux/isolinux.bin.
	BIOSImage string
	// HybridMBR is the host path of the MBR boot code: GRUB's
	// boot_hybrid.img or syslinux's isohdpfx.bin.
	HybridMBR string
	// EFIBoot is the host path of efiboot.img, appended as the GPT ESP
	// and used as the El Torito EFI image; "" for no UEFI boot.
	EFIBoot string

	// Epoch is SOURCE_DATE_EPOCH, or negative for the current time. It
	// fixes every date and the GPT disk GUID.
	Epoch int64

	// ImplantMD5 has BuildISO implant the image's MD5 as implantisomd5
	// --force would, for checkisomd5 and dracut's rd.live.check.
	ImplantMD5 bool
}

// Catalog is where the El Torito boot catalog goes in the tree.
const Catalog = "boot/boot.cat"

// XorrisoArgs returns the xorriso command line (argv[0] included) for a
// hybrid image that boots as CD and as USB disk on BIOS and UEFI. It
// follows the line recorded in the project's live-boot field notes, the
// same scheme archiso uses: a GPT with the ESP appended as partition 2,
// the MBR boot code for BIOS USB boot, and two El Torito entries for CD
// boot, the UEFI one pointing at the appended partition so the ESP is
// stored once.
func XorrisoArgs(iso ISO) []string {
	a := []string{"xorriso", "-as", "mkisofs",
		"-iso-level", "3", "-full-iso9660-filenames", "-joliet", "-joliet-long", "-rational-rock",
		"-volid", iso.Label,
	}
	if iso.Publisher != "" {
		a = append(a, "-publisher", iso.Publisher)
	}
	if iso.Application != "" {
		a = append(a, "-appid", iso.Application)
	}
	a = append(a, "-preparer", "levitateiso")
	switch iso.BIOS {
	case GRUBBIOS:
		a = append(a, "--grub2-mbr", iso.HybridMBR, "-partition_offset", "16", "--mbr-force-bootable")
	case ISOLINUX:
		a = append(a, "-isohybrid-mbr", iso.HybridMBR, "-partition_offset", "16", "--mbr-force-bootable")
	}
	if iso.EFIBoot != "" {
		a = append(a, "-append_partition", "2", ESPTypeGUID, iso.EFIBoot, "-appended_part_as_gpt",
			"-iso_mbr_part_type", isoMBRPartType)
	}
	a = append(a, "-c", Catalog)
	if iso.BIOS != NoBIOS {
		a = append(a, "-b", iso.BIOSImage, "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table")
		if iso.BIOS == GRUBBIOS {
			a = append(a, "--grub2-boot-info")
		}
	}
	if iso.EFIBoot != "" {
		if iso.BIOS != NoBIOS {
			a = append(a, "-eltorito-alt-boot")
		}
		a = append(a, "-e", "--interval:appended_partition_2:all::", "-no-emul-boot")
	}
	if iso.Epoch >= 0 {
		date := time.Unix(iso.Epoch, 0).UTC().Format("20060102150405") + "00"
		a = append(a, "--modification-date="+date, "--set_all_file_dates", date,
			"--gpt_disk_guid", "modification-date")
	}
	return append(a, "-o", iso.Out, iso.Tree)
}
