package vmtest

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Firmware selects the machine's firmware.
type Firmware int

const (
	// BIOS is SeaBIOS, QEMU's default legacy BIOS.
	BIOS Firmware = iota
	// UEFI is OVMF without Secure Boot.
	UEFI
	// UEFISecureBoot is OVMF with Secure Boot enforced and Microsoft's
	// keys enrolled.
	UEFISecureBoot
)

func (f Firmware) String() string {
	switch f {
	case BIOS:
		return "bios"
	case UEFI:
		return "uefi"
	case UEFISecureBoot:
		return "uefi-secureboot"
	}
	return "firmware(" + strconv.Itoa(int(f)) + ")"
}

// Media says how the ISO is attached.
type Media int

const (
	// CDROM attaches the ISO as a SATA CD-ROM drive.
	CDROM Media = iota
	// USB attaches the ISO as a USB stick on an xHCI controller, which is
	// how a hybrid ISO written with dd boots.
	USB
)

func (m Media) String() string {
	switch m {
	case CDROM:
		return "cdrom"
	case USB:
		return "usb"
	}
	return "media(" + strconv.Itoa(int(m)) + ")"
}

// Disk is a disk image attached as a virtio block device.
type Disk struct {
	// Path is the image file.
	Path string
	// Format is the QEMU image format; empty means qcow2 for a .qcow2
	// file and raw otherwise.
	Format string
	// ReadOnly attaches the image read-only.
	ReadOnly bool
}

func (d Disk) format() string {
	if d.Format != "" {
		return d.Format
	}
	if strings.EqualFold(filepath.Ext(d.Path), ".qcow2") {
		return "qcow2"
	}
	return "raw"
}

// Config describes one virtual machine. The zero value plus an ISO or a
// disk is a SeaBIOS machine booting a CD-ROM with 2 GiB and 2 CPUs.
type Config struct {
	// QEMU is the emulator binary; empty means qemu-system-x86_64.
	QEMU string
	// Firmware is BIOS, UEFI or UEFISecureBoot.
	Firmware Firmware
	// OVMFDir holds the OVMF images; empty means DefaultOVMFDir.
	OVMFDir string
	// Vars is the OVMF variable store to start from, such as VarsPath of
	// an earlier run: a machine keeps its boot entries in NVRAM from one
	// boot to the next. Empty means the firmware's template. It is copied,
	// never written.
	Vars string
	// ISO is the image to boot; empty boots the first disk.
	ISO string
	// Media is how the ISO is attached.
	Media Media
	// Disks are attached as virtio disks, after the ISO in boot order.
	Disks []Disk
	// MemoryMiB is the guest memory; zero means 2048.
	MemoryMiB int
	// CPUs is the number of virtual CPUs; zero means 2.
	CPUs int
	// KVM uses hardware virtualisation instead of TCG; see KVMAvailable.
	KVM bool
	// Interactive puts the serial console and the QEMU monitor on the
	// terminal (-nographic) for a person; otherwise the serial console
	// alone is on standard input and output, for the harness.
	Interactive bool
	// ExtraArgs are appended to the QEMU command line.
	ExtraArgs []string
}

func (c Config) qemu() string {
	if c.QEMU != "" {
		return c.QEMU
	}
	return "qemu-system-x86_64"
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.ISO == "" && len(c.Disks) == 0 {
		errs = append(errs, errors.New("nothing to boot: neither an ISO nor a disk"))
	}
	if c.Firmware < BIOS || c.Firmware > UEFISecureBoot {
		errs = append(errs, fmt.Errorf("unknown firmware %v", c.Firmware))
	}
	if c.Media < CDROM || c.Media > USB {
		errs = append(errs, fmt.Errorf("unknown media %v", c.Media))
	}
	if c.MemoryMiB < 0 || (c.MemoryMiB > 0 && c.MemoryMiB < 128) {
		errs = append(errs, fmt.Errorf("memory %d MiB: want at least 128", c.MemoryMiB))
	}
	if c.CPUs < 0 {
		errs = append(errs, fmt.Errorf("cpus %d: want a positive number", c.CPUs))
	}
	for i, d := range c.Disks {
		if d.Path == "" {
			errs = append(errs, fmt.Errorf("disk %d: empty path", i))
		}
		if strings.Contains(d.Path, ",") {
			errs = append(errs, fmt.Errorf("disk %d: path %q contains a comma, which QEMU's -drive cannot take", i, d.Path))
		}
	}
	if strings.Contains(c.ISO, ",") {
		errs = append(errs, fmt.Errorf("iso path %q contains a comma, which QEMU's -drive cannot take", c.ISO))
	}
	return errors.Join(errs...)
}

// Args returns the full QEMU command line. vars is the per-run writable
// copy of the OVMF variable store (ignored for BIOS).
func (c Config) Args(vars string) ([]string, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("vm config: %w", err)
	}
	mem, cpus := c.MemoryMiB, c.CPUs
	if mem == 0 {
		mem = 2048
	}
	if cpus == 0 {
		cpus = 2
	}
	accel := "tcg"
	if c.KVM {
		accel = "kvm"
	}
	// q35 always: on i440FX the CD is read by PIO and GRUB alone takes
	// minutes to load a kernel under TCG.
	machine := "q35"
	if c.Firmware == UEFISecureBoot {
		machine = "q35,smm=on"
	}
	a := []string{c.qemu(),
		"-machine", machine,
		"-accel", accel,
		"-m", strconv.Itoa(mem),
		"-smp", strconv.Itoa(cpus),
		"-no-reboot",
		"-net", "none",
	}
	if c.Interactive {
		a = append(a, "-nographic")
	} else {
		a = append(a, "-display", "none", "-monitor", "none", "-serial", "stdio")
	}
	if c.Firmware != BIOS {
		fw := c.firmwareFiles()
		if c.Firmware == UEFISecureBoot {
			a = append(a, "-global", "driver=cfi.pflash01,property=secure,value=on")
		}
		a = append(a,
			"-drive", "if=pflash,format=raw,unit=0,readonly=on,file="+fw.Code,
			"-drive", "if=pflash,format=raw,unit=1,file="+vars,
		)
	}
	boot := 0
	if c.ISO != "" {
		switch c.Media {
		case CDROM:
			a = append(a,
				"-drive", "if=none,id=cd0,media=cdrom,readonly=on,format=raw,file="+c.ISO,
				"-device", "ide-cd,drive=cd0,bootindex=0")
		case USB:
			a = append(a,
				"-device", "qemu-xhci,id=xhci",
				"-drive", "if=none,id=usb0,readonly=on,format=raw,file="+c.ISO,
				"-device", "usb-storage,bus=xhci.0,drive=usb0,removable=on,bootindex=0")
		}
		boot++
	}
	for i, d := range c.Disks {
		id := "disk" + strconv.Itoa(i)
		drive := "if=none,id=" + id + ",format=" + d.format() + ",file=" + d.Path
		if d.ReadOnly {
			drive += ",readonly=on"
		}
		a = append(a,
			"-drive", drive,
			"-device", "virtio-blk-pci,drive="+id+",bootindex="+strconv.Itoa(boot))
		boot++
	}
	return append(a, c.ExtraArgs...), nil
}
