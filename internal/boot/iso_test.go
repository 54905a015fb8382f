package boot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/testutil"
)

// hostLayout returns the host's boot loaders, skipping (outside CI) when
// GRUB for BIOS and UEFI (grub-pc-bin, grub-efi-amd64-bin) is missing.
func hostLayout(t *testing.T) (Layout, string) {
	t.Helper()
	for _, tool := range []string{"xorriso", "mkfs.fat", "mmd", "mcopy"} {
		testutil.NeedTool(t, tool)
	}
	mkimage, err := FindMkImage(exec.LookPath)
	if err != nil {
		testutil.NeedTool(t, "grub-mkimage")
	}
	l, err := DetectLayout("/")
	if err != nil {
		t.Fatal(err)
	}
	if l.CheckBIOSGRUB() != nil || l.X86_64EFI == "" {
		if os.Getenv("CI") == "" {
			t.Skip("GRUB i386-pc or x86_64-efi modules missing (grub-pc-bin, grub-efi-amd64-bin)")
		}
		t.Fatalf("GRUB modules missing: %v", l.CheckBIOSGRUB())
	}
	return l, mkimage
}

// buildISO makes a hybrid ISO from a tiny tree with a fake kernel.
func buildISO(t *testing.T, l Layout, mkimage, out string, epoch int64) {
	t.Helper()
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	for p, data := range map[string]string{
		DefaultKernel:          "not a kernel\n",
		DefaultInitrd:          "not an initramfs\n",
		"/LiveOS/squashfs.img": "not a squashfs\n",
	} {
		if err := writeFile(filepath.Join(tree, p), []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	m := testMenu()
	m.Label = "LEVITATE_TEST"
	iso, err := BuildTree(context.Background(), TreeSpec{
		Layout: l, MkImage: mkimage, Menu: m, BIOS: GRUBBIOS, UEFI: true,
		Tree: tree, Work: filepath.Join(dir, "work"), Epoch: epoch,
	})
	if err != nil {
		t.Fatalf("BuildTree = %v", err)
	}
	if epoch >= 0 {
		// The tree's own mtimes must not matter: xorriso resets them.
		now := time.Now()
		_ = os.Chtimes(filepath.Join(tree, DefaultKernel), now, now)
	}
	iso.Out = out
	iso.Publisher = "LevitateOS"
	iso.Application = "LevitateOS Live"
	var log bytes.Buffer
	start := time.Now()
	if err := BuildISO(context.Background(), iso, run.Cmd{Stdout: &log, Stderr: &log}); err != nil {
		t.Fatalf("BuildISO = %v\n%s", err, log.String())
	}
	t.Logf("xorriso took %v", time.Since(start).Round(time.Millisecond))
}

func TestHybridISOReal(t *testing.T) {
	l, mkimage := hostLayout(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.iso"), filepath.Join(dir, "b.iso")
	buildISO(t, l, mkimage, a, 1700000000)

	report := func(what string) string {
		out, err := exec.Command("xorriso", "-indev", a, "-report_"+what, "plain").CombinedOutput()
		if err != nil {
			t.Fatalf("xorriso -report_%s: %v\n%s", what, err, out)
		}
		return string(out)
	}
	eltorito := report("el_torito")
	for _, re := range []string{
		`El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+4\s+\d+`,
		`El Torito boot img :\s+2\s+UEFI\s+y\s+none\s+0x0000\s+0x00\s+\d+\s+\d+`,
		`El Torito img path :\s+1\s+/boot/grub/i386-pc/eltorito.img`,
		`El Torito cat path : /boot/boot.cat`,
	} {
		if !regexp.MustCompile(re).MatchString(eltorito) {
			t.Errorf("-report_el_torito lacks %s:\n%s", re, eltorito)
		}
	}
	if n := strings.Count(eltorito, "El Torito boot img :"); n != 2 {
		t.Errorf("-report_el_torito shows %d boot images; want 2:\n%s", n, eltorito)
	}
	system := report("system_area")
	for _, re := range []string{
		`System area summary: MBR protective-msdos-label grub2-mbr .*GPT`,
		`MBR partition      :\s+1\s+0x00\s+0xee`,
		`GPT partname local :\s+1\s+ISO9660`,
		// The GUIDs in on-disk byte order: Microsoft basic data for the
		// ISO 9660 partition, EFI System for the appended ESP.
		`GPT type GUID      :\s+1\s+a2a0d0ebe5b9334487c068b6b72699c7`,
		`GPT partname local :\s+2\s+Appended2`,
		`GPT type GUID      :\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b`,
	} {
		if !regexp.MustCompile(re).MatchString(system) {
			t.Errorf("-report_system_area lacks %s:\n%s", re, system)
		}
	}

	// The MBR boot code is GRUB's boot_hybrid.img (its first 432 bytes;
	// the rest is the disk signature and the partition table).
	img, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	mbr, err := os.ReadFile(filepath.Join(l.I386PC, "boot_hybrid.img"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img[:0x1b0], mbr[:0x1b0]) || img[510] != 0x55 || img[511] != 0xaa {
		t.Errorf("the ISO's MBR is not boot_hybrid.img with a 0x55aa signature")
	}

	// Reproducible: the same inputs and SOURCE_DATE_EPOCH, byte for byte.
	buildISO(t, l, mkimage, b, 1700000000)
	imgB, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(img) != sha256.Sum256(imgB) {
		t.Errorf("two builds with SOURCE_DATE_EPOCH differ (%d and %d bytes)", len(img), len(imgB))
	}
}

// TestUnsignedEFIImage builds the GRUB EFI application used when the root
// has no signed shim and GRUB.
func TestUnsignedEFIImage(t *testing.T) {
	l, mkimage := hostLayout(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "BOOTX64.EFI")
	if err := EFIImage(context.Background(), mkimage, l.X86_64EFI, "LEVITATEOS", out, dir); err != nil {
		t.Fatalf("EFIImage = %v", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 2 || string(data[:2]) != "MZ" {
		t.Errorf("EFIImage wrote no PE file (starts %q)", data[:min(len(data), 8)])
	}
	if !bytes.Contains(data, []byte("--label LEVITATEOS")) {
		t.Errorf("EFIImage lacks the embedded search for the label")
	}
}
