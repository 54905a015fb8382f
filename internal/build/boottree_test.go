package build

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/testutil"
)

// bootInputs are what the boot tree is made of.
type bootInputs struct {
	shim  string // content of the root's shim
	title string
	epoch int64
}

// bootStage makes the boot tree of in, in a fresh work directory whose
// ISO tree already holds a kernel, with cacheDir ("" for none), and
// returns the builder after it (cached set when the tree came from the
// cache) and what it made: every file of the ISO
// tree and efiboot.img with its content's hash, and the ISO fields.
func bootStage(t *testing.T, cacheDir string, in bootInputs) (*builder, map[string]string) {
	t.Helper()
	o := Options{Work: t.TempDir(), CacheDir: cacheDir, Epoch: in.epoch}
	root := o.path(rootDir)
	for name, data := range map[string]string{
		"boot/efi/EFI/rocky/shimx64.efi": in.shim,
		"boot/efi/EFI/rocky/gcdx64.efi":  "signed grub",
	} {
		touch(t, filepath.Join(root, name))
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A Rocky-shaped root whose GRUB modules are the host's, through a
	// link, as internal/boot's tests make it.
	if err := os.MkdirAll(filepath.Join(root, "usr/lib/grub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/usr/lib/grub/i386-pc", filepath.Join(root, "usr/lib/grub/i386-pc")); err != nil {
		t.Fatal(err)
	}
	kernel := o.path(treeDir, "boot/x86_64/vmlinuz")
	touch(t, kernel)
	layout, err := boot.DetectLayout(root)
	if err != nil {
		t.Fatal(err)
	}
	mkimage, err := boot.FindMkImage(run.LookPath)
	if err != nil {
		t.Fatal(err)
	}
	spec := boot.TreeSpec{
		Layout: layout, MkImage: mkimage, BIOS: boot.GRUBBIOS, UEFI: true,
		Menu: boot.Menu{Title: in.title, Label: "TESTBOOT", Kernel: boot.DefaultKernel, Initrd: boot.DefaultInitrd, Timeout: 5},
		Tree: o.path(treeDir), Work: o.path(bootWork), Epoch: in.epoch,
	}
	var log bytes.Buffer
	b := &builder{opts: o, log: &log, boots: newStageCache(cacheDir, "boot")}
	iso, err := b.bootTree(t.Context(), spec)
	if err != nil {
		t.Fatalf("boot tree: %v", err)
	}
	if err := b.boots.check(b.bootCacheKey); err != nil {
		t.Errorf("boot tree changed its cache entry: %v", err)
	}
	got := map[string]string{}
	err = filepath.WalkDir(o.path(treeDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(o.Work, p)
		got[rel], err = fileSHA256(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["efiboot.img"], err = fileSHA256(iso.EFIBoot); err != nil {
		t.Fatalf("efiboot.img: %v", err)
	}
	if _, err := os.Stat(iso.HybridMBR); err != nil {
		t.Errorf("hybrid MBR: %v", err)
	}
	iso.EFIBoot, iso.HybridMBR = filepath.Base(iso.EFIBoot), filepath.Base(iso.HybridMBR)
	if iso.Tree != o.path(treeDir) {
		t.Errorf("boot tree ISO.Tree = %s; want %s", iso.Tree, o.path(treeDir))
	}
	iso.Tree = ""
	fields, _ := json.Marshal(iso)
	got["iso"] = string(fields)
	b.cached = strings.Contains(log.String(), "from the cache")
	return b, got
}

// TestBootTreeCache wants the boot tree from the cache to be the one an
// uncached build makes of the same inputs, and a change of the inputs to
// miss the cache.
func TestBootTreeCache(t *testing.T) {
	testutil.NeedTools(t, "mkfs.fat", "mmd", "mcopy")
	if _, err := boot.FindMkImage(run.LookPath); err != nil {
		testutil.NeedTool(t, "grub-mkimage")
	}
	if _, err := os.Stat("/usr/lib/grub/i386-pc/cdboot.img"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the host's GRUB i386-pc files: %v", err)
		}
		t.Skip("needs the host's GRUB i386-pc files (Debian: grub-pc-bin)")
	}
	base := bootInputs{shim: "shim v1", title: "Test", epoch: 1700000000}
	cache := t.TempDir()
	_, want := bootStage(t, "", base)
	if want["tree/boot/x86_64/vmlinuz"] == "" || want["tree/boot/grub/i386-pc/eltorito.img"] == "" {
		t.Fatalf("boot tree lacks the kernel or the El Torito image: %v", want)
	}
	if cold, _ := bootStage(t, cache, base); cold.cached {
		t.Fatal("boot tree with an empty cache: from the cache")
	}
	warm, got := bootStage(t, cache, base)
	if data, ok := warm.boots.entry(warm.bootCacheKey); !ok || !warm.cached {
		t.Fatalf("boot tree with the same inputs: from the cache = %v; want true", warm.cached)
	} else if !maps.Equal(got, want) {
		t.Errorf("boot tree from the cache = %v; want %v (uncached)", got, want)
	} else if err := os.Chmod(filepath.Join(data, bootStagingWork, "efiboot.img"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The changed entry is dropped and made again.
	if again, got := bootStage(t, cache, base); again.cached || !maps.Equal(got, want) {
		t.Errorf("boot tree after a changed cache entry = %v, from the cache %v; want %v, made again", got, again.cached, want)
	}

	for _, tt := range []struct {
		name string
		in   bootInputs
	}{
		{"shim", bootInputs{shim: "shim v2", title: base.title, epoch: base.epoch}},
		{"menu", bootInputs{shim: base.shim, title: "Other", epoch: base.epoch}},
		{"epoch", bootInputs{shim: base.shim, title: base.title, epoch: base.epoch + 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			first, tree := bootStage(t, cache, tt.in)
			if first.cached || first.bootCacheKey == warm.bootCacheKey {
				t.Fatalf("boot tree after a change of the %s: from the cache", tt.name)
			}
			if maps.Equal(tree, want) {
				t.Errorf("boot tree after a change of the %s is the old one", tt.name)
			}
			if _, uncached := bootStage(t, "", tt.in); !maps.Equal(tree, uncached) {
				t.Errorf("boot tree after a change of the %s = %v; want %v (uncached)", tt.name, tree, uncached)
			}
		})
	}
}
