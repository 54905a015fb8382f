package boot

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (run with -update to accept):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func testMenu() Menu {
	return Menu{
		Title:     "LevitateOS",
		Label:     "LEVITATEOS",
		Kernel:    DefaultKernel,
		Initrd:    DefaultInitrd,
		ExtraArgs: []string{"quiet"},
		Timeout:   5,
	}
}

func TestConfigGolden(t *testing.T) {
	withCheck := testMenu()
	withCheck.MediaCheck = true
	tests := []struct {
		file string
		got  []byte
	}{
		{"grub.cfg", GRUBConfig(testMenu())},
		{"grub-mediacheck.cfg", GRUBConfig(withCheck)},
		{"isolinux.cfg", IsolinuxConfig(testMenu())},
		{"isolinux-mediacheck.cfg", IsolinuxConfig(withCheck)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { golden(t, tt.file, tt.got) })
	}
}

// TestGRUBConfigSyntax has GRUB's own parser check the generated config.
func TestGRUBConfigSyntax(t *testing.T) {
	tool := testutil.NeedTool(t, "grub-script-check")
	p := filepath.Join(t.TempDir(), "grub.cfg")
	m := testMenu()
	m.MediaCheck = true
	m.Title = "It's \"quoted\""
	if err := os.WriteFile(p, GRUBConfig(m), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, p).CombinedOutput(); err != nil {
		t.Errorf("grub-script-check: %v\n%s", err, out)
	}
}

func TestEntries(t *testing.T) {
	m := testMenu()
	want := map[string]string{
		"live":  "root=live:CDLABEL=LEVITATEOS rd.live.image rd.live.overlay.overlayfs=1 console=tty0 console=ttyS0,115200 quiet",
		"safe":  "root=live:CDLABEL=LEVITATEOS rd.live.image rd.live.overlay.overlayfs=1 console=tty0 console=ttyS0,115200 quiet nomodeset",
		"ram":   "root=live:CDLABEL=LEVITATEOS rd.live.image rd.live.overlay.overlayfs=1 console=tty0 console=ttyS0,115200 quiet rd.live.ram",
		"local": "",
	}
	entries := m.Entries()
	if len(entries) != len(want) {
		t.Fatalf("Entries() has %d entries; want %d", len(entries), len(want))
	}
	for _, e := range entries {
		if got := cmdline(e.Args); got != want[e.ID] {
			t.Errorf("entry %s args = %q; want %q", e.ID, got, want[e.ID])
		}
	}
	if entries[0].ID != "live" || entries[len(entries)-1].Kind != LocalDisk {
		t.Errorf("Entries() order = %v; want live first, local drive last", entries)
	}
}

// TestHotkeys checks that every entry has its own hotkey, that GRUB's
// reserved keys stay free, and where ISOLINUX's "^" goes.
func TestHotkeys(t *testing.T) {
	m := testMenu()
	m.MediaCheck = true
	seen := map[string]string{}
	for _, e := range m.Entries() {
		if len(e.Key) != 1 || e.Key < "a" || e.Key > "z" || e.Key == "e" || e.Key == "c" {
			t.Errorf("entry %s key = %q; want one lower-case letter other than e and c", e.ID, e.Key)
		}
		if prev, dup := seen[e.Key]; dup {
			t.Errorf("entries %s and %s share the hotkey %q", prev, e.ID, e.Key)
		}
		seen[e.Key] = e.ID
		if !strings.Contains(strings.ToLower(e.Title), e.Key) {
			t.Errorf("entry %s title %q lacks its hotkey %q, so ISOLINUX cannot mark it", e.ID, e.Title, e.Key)
		}
	}
	if e, ok := m.Entry(EntryMediaCheck); !ok || !strings.Contains(cmdline(e.Args), "rd.live.check") {
		t.Errorf("Entry(%q) = %+v, %v; want the rd.live.check entry", EntryMediaCheck, e, ok)
	}
	if _, ok := testMenu().Entry(EntryMediaCheck); ok {
		t.Errorf("Entry(%q) found without MediaCheck", EntryMediaCheck)
	}
	for _, tt := range []struct{ title, key, want string }{
		{"Test this media & start X", "t", "^Test this media & start X"},
		{"LevitateOS (safe mode)", "s", "LevitateOS (^safe mode)"},
		{"LevitateOS (copy to RAM)", "r", "LevitateOS (copy to ^RAM)"},
		{"Ab", "b", "A^b"},
		{"Boot from local drive", "b", "^Boot from local drive"},
		{"No such letter", "q", "No such letter"},
		{"Empty key", "", "Empty key"},
	} {
		if got := isolinuxHotkey(tt.title, tt.key); got != tt.want {
			t.Errorf("isolinuxHotkey(%q, %q) = %q; want %q", tt.title, tt.key, got, tt.want)
		}
	}
}

func TestXorrisoArgsGolden(t *testing.T) {
	base := ISO{
		Tree: "/work/iso", Out: "/out/levitateos.iso", Label: "LEVITATEOS",
		Publisher: "LevitateOS", Application: "LevitateOS Live",
		EFIBoot: "/work/efiboot.img", Epoch: 1700000000,
	}
	grub := base
	grub.BIOS, grub.BIOSImage, grub.HybridMBR = GRUBBIOS, "boot/grub/i386-pc/eltorito.img", "/usr/lib/grub/i386-pc/boot_hybrid.img"
	isolinux := base
	isolinux.BIOS, isolinux.BIOSImage, isolinux.HybridMBR = ISOLINUX, "isolinux/isolinux.bin", "/usr/share/syslinux/isohdpfx.bin"
	uefiOnly := base
	uefiOnly.Epoch = -1
	var b strings.Builder
	for _, c := range []struct {
		name string
		iso  ISO
	}{{"bios-grub + uefi, SOURCE_DATE_EPOCH", grub}, {"isolinux + uefi", isolinux}, {"uefi only, no epoch", uefiOnly}} {
		b.WriteString("# " + c.name + "\n" + strings.Join(XorrisoArgs(c.iso), "\n") + "\n\n")
	}
	golden(t, "xorriso.argv", []byte(b.String()))
}

func BenchmarkGRUBConfig(b *testing.B) {
	m := testMenu()
	for b.Loop() {
		GRUBConfig(m)
	}
}

func BenchmarkESPSizeKiB(b *testing.B) {
	sizes := []int64{950000, 2500000, 100, 4096}
	for b.Loop() {
		ESPSizeKiB(sizes, 2)
	}
}
