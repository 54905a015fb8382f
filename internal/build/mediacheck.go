package build

import (
	"fmt"
	"os"
	"slices"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/profile"
)

// checkISOMD5 is the media checker that dracut's dmsquash-live module
// copies into the initramfs when the root has it (`inst_multiple -o
// checkisomd5`) and runs for rd.live.check. Rocky 10 and Debian 12 both
// keep binaries in /usr (merged /usr), and both package it as isomd5sum.
const checkISOMD5 = "/usr/bin/checkisomd5"

// mediaCheckPackage is the package that provides checkISOMD5 on the live
// root and implantisomd5 on the host, on Rocky and Debian alike.
const mediaCheckPackage = "isomd5sum"

// hasMediaCheck reports whether the live root can check its medium: only
// then does the menu offer "Test this media & start" and the ISO get an
// implanted MD5. Offering the entry without checkisomd5 in the initramfs
// would skip the check silently; implanting without the entry would make
// the image depend on whether the host happens to have implantisomd5.
func hasMediaCheck(root string) (bool, error) {
	p, err := RootPath(root, checkISOMD5)
	if err != nil {
		return false, fmt.Errorf("media check: %w", err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		if os.IsNotExist(err) {
			return false, nil
		}
		return false, fmt.Errorf("media check: %w", err)
	}
	return fi.Mode().IsRegular(), nil
}

// mediaCheckTools returns the host tools that the media check adds to the
// iso stage, when the profile names isomd5sum itself (it may also come in
// as a dependency; the iso stage then finds out from the root).
func mediaCheckTools(p *profile.Profile) []string {
	if p != nil && slices.Contains(p.PackageNames(), mediaCheckPackage) {
		return []string{boot.ImplantTool}
	}
	return nil
}

// needImplant reports an error when the root has the media check but the
// host lacks implantisomd5. lookPath is run.LookPath outside tests.
func needImplant(lookPath func(string) (string, error)) error {
	if _, err := lookPath(boot.ImplantTool); err != nil {
		return fmt.Errorf("media check: the root has %s, so the ISO needs an implanted MD5, but %s is not on PATH (Debian: %s, Rocky: %s)",
			checkISOMD5, boot.ImplantTool, mediaCheckPackage, mediaCheckPackage)
	}
	return nil
}
