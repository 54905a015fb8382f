package build

import (
	"fmt"
	"os"
)

// checkISOMD5 is the media checker that dracut's dmsquash-live module
// copies into the initramfs when the root has it (`inst_multiple -o
// checkisomd5`) and runs for rd.live.check. Rocky 10 and Debian 12 both
// keep binaries in /usr (merged /usr), and both package it as isomd5sum.
const checkISOMD5 = "/usr/bin/checkisomd5"

// hasMediaCheck reports whether the live root can check its medium: only
// then does the menu offer "Test this media & start" and the ISO get an
// implanted MD5 (see boot.BuildISO: the build implants it itself, so the host
// needs no implantisomd5). Offering the entry without checkisomd5 in the
// initramfs would skip the check silently.
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
