package boot

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/testutil"
	"github.com/levitateos/levitate/internal/vmtest"
)

// needIsolinux returns the host layout when it has ISOLINUX (Debian
// packages isolinux and syslinux-common), skipping outside CI otherwise.
func needIsolinux(t *testing.T) (Layout, string) {
	t.Helper()
	l, mkimage := hostLayout(t)
	for _, f := range append(IsolinuxFiles(), "isohdpfx.bin") {
		if l.SyslinuxFile(f) == "" {
			if os.Getenv("CI") == "" {
				t.Skipf("no %s in %v (Debian packages isolinux, syslinux-common)", f, l.Syslinux)
			}
			t.Fatalf("no %s in %v in CI (Debian packages isolinux, syslinux-common)", f, l.Syslinux)
		}
	}
	return l, mkimage
}

// isolinuxISO builds a tiny ISOLINUX + UEFI hybrid ISO with the media
// check entry and an implanted MD5, and returns its path.
func isolinuxISO(t *testing.T, l Layout, mkimage string) string {
	t.Helper()
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	for p, data := range map[string]string{
		DefaultKernel:          "not a kernel\n",
		DefaultInitrd:          "not an initramfs\n",
		"/LiveOS/squashfs.img": strings.Repeat("not a squashfs\n", 100000),
	} {
		if err := writeFile(filepath.Join(tree, p), []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	m := testMenu()
	m.MediaCheck = true
	iso, err := BuildTree(context.Background(), TreeSpec{
		Layout: l, MkImage: mkimage, Menu: m, BIOS: ISOLINUX, UEFI: true,
		Tree: tree, Work: filepath.Join(dir, "work"), Epoch: 1700000000,
	})
	if err != nil {
		t.Fatalf("BuildTree(ISOLINUX) = %v", err)
	}
	if iso.BIOSImage != "isolinux/isolinux.bin" || filepath.Base(iso.HybridMBR) != "isohdpfx.bin" {
		t.Errorf("BuildTree(ISOLINUX) = BIOSImage %q, HybridMBR %q; want isolinux/isolinux.bin, isohdpfx.bin", iso.BIOSImage, iso.HybridMBR)
	}
	cfg, err := os.ReadFile(filepath.Join(tree, "isolinux/isolinux.cfg"))
	if err != nil || !bytes.Equal(cfg, IsolinuxConfig(m)) {
		t.Errorf("isolinux/isolinux.cfg = %v; want IsolinuxConfig(menu)", err)
	}
	iso.Out = filepath.Join(dir, "isolinux.iso")
	iso.ImplantMD5 = true
	var log bytes.Buffer
	if err := BuildISO(context.Background(), iso, run.Cmd{Stdout: &log, Stderr: &log}); err != nil {
		t.Fatalf("BuildISO = %v\n%s", err, log.String())
	}
	return iso.Out
}

func TestIsolinuxISOReal(t *testing.T) {
	l, mkimage := needIsolinux(t)
	iso := isolinuxISO(t, l, mkimage)
	out, err := exec.Command("xorriso", "-indev", iso, "-report_el_torito", "plain", "-report_system_area", "plain").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso report: %v\n%s", err, out)
	}
	rep := string(out)
	for _, re := range []string{
		`El Torito img path :\s+1\s+/isolinux/isolinux.bin`,
		`El Torito img opts :\s+1\s+boot-info-table isohybrid-suitable`,
		`El Torito boot img :\s+2\s+UEFI\s+y`,
		`System area summary: MBR isohybrid cyl-align-off GPT`,
		`GPT type GUID\s+:\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b`,
	} {
		if !regexp.MustCompile(re).MatchString(rep) {
			t.Errorf("xorriso report lacks %s:\n%s", re, rep)
		}
	}
	// The MBR boot code is isohdpfx.bin's (432 bytes; xorriso patches
	// the LBA of isolinux.bin in behind them).
	img, err := os.ReadFile(iso)
	if err != nil {
		t.Fatal(err)
	}
	mbr, err := os.ReadFile(l.SyslinuxFile("isohdpfx.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img[:0x1b0], mbr[:0x1b0]) || img[510] != 0x55 || img[511] != 0xaa {
		t.Errorf("the ISO's MBR is not isohdpfx.bin with a 0x55aa signature")
	}
}

// TestImplantMD5Real implants the MD5 and has checkisomd5 (the tool that
// dracut runs for rd.live.check) pass the image and fail a copy with one
// byte of the squashfs inverted.
func TestImplantMD5Real(t *testing.T) {
	l, mkimage := needIsolinux(t)
	check := testutil.NeedTool(t, "checkisomd5")
	iso := isolinuxISO(t, l, mkimage)
	bad := filepath.Join(t.TempDir(), "bad.iso")
	at, err := vmtest.CorruptCopy(t.Context(), iso, bad, "/LiveOS/squashfs.img")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		iso, result string
		code        int
	}{
		{iso, "PASS", 0},
		{bad, "FAIL", 1},
	} {
		out, err := exec.Command(check, "--verbose", tt.iso).CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code || !strings.Contains(string(out), "the result is: "+tt.result) {
			t.Errorf("checkisomd5 %s = exit %d\n%s\nwant exit %d and %s (byte %d inverted in the bad copy)", filepath.Base(tt.iso), code, out, tt.code, tt.result, at)
		}
	}
}
