package vmtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// DefaultOVMFDir is where Debian's ovmf package puts the firmware.
const DefaultOVMFDir = "/usr/share/OVMF"

// varsName is the file name of a run's variable store in its directory.
const varsName = "OVMF_VARS.fd"

// FirmwareFiles are the two OVMF flash images: the code, mapped read-only,
// and the template of the variable store, copied fresh for every run so
// that no boot sees what an earlier one wrote.
type FirmwareFiles struct {
	Code string
	Vars string
}

func (c Config) firmwareFiles() FirmwareFiles {
	dir := c.OVMFDir
	if dir == "" {
		dir = DefaultOVMFDir
	}
	if c.Firmware == UEFISecureBoot {
		// The .ms variable store has Microsoft's keys enrolled and Secure
		// Boot enabled; the secboot code requires SMM.
		return FirmwareFiles{
			Code: filepath.Join(dir, "OVMF_CODE_4M.secboot.fd"),
			Vars: filepath.Join(dir, "OVMF_VARS_4M.ms.fd"),
		}
	}
	return FirmwareFiles{
		Code: filepath.Join(dir, "OVMF_CODE_4M.fd"),
		Vars: filepath.Join(dir, "OVMF_VARS_4M.fd"),
	}
}

// FirmwareFiles returns the OVMF files c uses; both are empty for BIOS.
func (c Config) FirmwareFiles() FirmwareFiles {
	if c.Firmware == BIOS {
		return FirmwareFiles{}
	}
	return c.firmwareFiles()
}

// PrepareVars copies the OVMF variable store (Vars, or the template) into
// dir and returns
// the copy's path; for BIOS it returns "". It also checks that the firmware
// code exists, so a missing ovmf package is reported before QEMU starts.
func (c Config) PrepareVars(dir string) (string, error) {
	if c.Firmware == BIOS {
		return "", nil
	}
	fw := c.firmwareFiles()
	if _, err := os.Stat(fw.Code); err != nil {
		return "", fmt.Errorf("ovmf firmware (Debian package ovmf): %w", err)
	}
	src := fw.Vars
	if c.Vars != "" {
		src = c.Vars
	}
	dst := filepath.Join(dir, varsName)
	if err := copyFile(dst, src); err != nil {
		return "", fmt.Errorf("ovmf variable store: %w", err)
	}
	return dst, nil
}

func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return nil
}

// KVMAvailable reports whether /dev/kvm can be opened for reading and
// writing, which is what QEMU needs for -accel kvm.
func KVMAvailable() bool {
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
