package build

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/testutil"
)

// fakeISO returns an image of size bytes whose primary volume descriptor
// at sector 16 gives a volume of sectors sectors (the image may be longer
// or shorter, as after an appended partition or a truncation), with
// pseudo-random content elsewhere.
func fakeISO(size int, sectors uint32, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	pvd := b[pvdOffset : pvdOffset+isoSector]
	pvd[0] = 1
	copy(pvd[1:], "CD001")
	binary.BigEndian.PutUint32(b[isoSizeOffset:], sectors)
	return b
}

// implantTool runs implantisomd5 --force on a copy of img and returns
// the implanted image.
func implantTool(t *testing.T, img []byte) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.iso")
	if err := os.WriteFile(p, img, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(boot.ImplantTool, "--force", p).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", boot.ImplantTool, err, out)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// implantOurs sums img in writes of step bytes and implants the result.
func implantOurs(t *testing.T, img []byte, step int) []byte {
	t.Helper()
	m := newISOMD5()
	for p := img; len(p) > 0; {
		n := min(step, len(p))
		m.Write(p[:n])
		p = p[n:]
	}
	data, err := m.AppData()
	if err != nil {
		t.Fatalf("AppData: %v", err)
	}
	out := bytes.Clone(img)
	copy(out[appDataOffset:], data)
	return out
}

func TestISOMD5MatchesImplantisomd5(t *testing.T) {
	testutil.NeedTools(t, boot.ImplantTool)
	const mib = 1 << 20
	for _, tt := range []struct {
		name    string
		size    int
		sectors uint32
	}{
		{"volume is the image", 3 * mib, 3 * mib / isoSector},
		{"odd sector count", 2*mib + 5*isoSector, (2*mib + 5*isoSector) / isoSector},
		{"appended partition after the volume", 4 * mib, 3 * mib / isoSector},
		{"image shorter than the volume", 2*mib + 1000, 3 * mib / isoSector},
		{"image ends on a read boundary", 2 * mib, 3 * mib / isoSector},
		// Fragments smaller than one read: some are skipped.
		{"tiny volume", 40 * isoSector, 40},
		{"fragment of one read", 21*md5ReadSize + 15*isoSector, 21*md5ReadSize/isoSector + 15},
	} {
		t.Run(tt.name, func(t *testing.T) {
			img := fakeISO(tt.size, tt.sectors, uint64(tt.size))
			want := implantTool(t, img)
			for _, step := range []int{1 << 30, md5ReadSize, 65536, 4093, 1} {
				if step == 1 && tt.size > 64*isoSector {
					continue // byte by byte is for the small images
				}
				if got := implantOurs(t, img, step); !bytes.Equal(got, want) {
					t.Errorf("implant(%s) in writes of %d = %q; want %q", tt.name, step,
						got[appDataOffset:appDataOffset+appDataSize], want[appDataOffset:appDataOffset+appDataSize])
				}
			}
		})
	}
}

func TestISOMD5Rejects(t *testing.T) {
	for _, tt := range []struct {
		name string
		img  []byte
		want string
	}{
		{"too short", make([]byte, pvdOffset+100), "ends before its primary volume descriptor"},
		{"no descriptor", make([]byte, pvdOffset+isoSector+10), "no primary volume descriptor"},
		{"empty volume", fakeISO(pvdOffset+isoSector, 10, 1), "too small"},
	} {
		m := newISOMD5()
		m.Write(tt.img)
		if _, err := m.AppData(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("AppData(%s) = %v; want an error with %q", tt.name, err, tt.want)
		}
	}
}

// TestWriteISOImplants builds a real hybrid image through the FIFO and
// compares it with xorriso's file plus implantisomd5, then lets
// checkisomd5 verify it, and fail it once a byte of a file changed.
func TestWriteISOImplants(t *testing.T) {
	testutil.NeedTools(t, "xorriso", boot.ImplantTool, "checkisomd5")
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	blob := fakeISO(3<<20+123, 0, 7) // random content only
	for name, data := range map[string][]byte{"LiveOS/squashfs.img": blob, "boot/grub/grub.cfg": []byte("set timeout=5\n")} {
		touch(t, filepath.Join(tree, name))
		if err := os.WriteFile(filepath.Join(tree, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	iso := boot.ISO{Tree: tree, Label: "TESTMD5", Application: "test", Epoch: 1700000000}
	plain := iso
	plain.Out = filepath.Join(dir, "plain.iso")
	if err := writeISO(context.Background(), plain, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(plain.Out)
	if err != nil {
		t.Fatal(err)
	}
	want := implantTool(t, raw)
	iso.Out, iso.ImplantMD5 = filepath.Join(dir, "out", "implanted.iso"), true
	if err := os.MkdirAll(filepath.Dir(iso.Out), 0o755); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := writeISO(context.Background(), iso, &log); err != nil {
		t.Fatalf("writeISO: %v\n%s", err, log.String())
	}
	got, err := os.ReadFile(iso.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("writeISO with ImplantMD5 differs from xorriso + implantisomd5 (%d and %d bytes)", len(got), len(want))
	}
	if ents, _ := os.ReadDir(filepath.Dir(iso.Out)); len(ents) != 1 {
		t.Errorf("writeISO left %d entries beside the image; want only the image", len(ents))
	}
	if out, err := exec.Command("checkisomd5", iso.Out).CombinedOutput(); err != nil {
		t.Fatalf("checkisomd5 %s: %v\n%s", iso.Out, err, out)
	}
	i := bytes.Index(got, blob[:64])
	if i < 0 {
		t.Fatal("the file's bytes are not in the image")
	}
	got[i+len(blob)/2] ^= 0xff
	if err := os.WriteFile(iso.Out, got, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("checkisomd5", iso.Out).CombinedOutput(); err == nil {
		t.Errorf("checkisomd5 of a changed image passed; want a failure\n%s", out)
	}
}

func TestWriteISOFailure(t *testing.T) {
	testutil.NeedTools(t, "xorriso")
	dir := t.TempDir()
	iso := boot.ISO{Tree: filepath.Join(dir, "missing"), Label: "TESTMD5", Epoch: 0, ImplantMD5: true,
		Out: filepath.Join(dir, "x.iso")}
	if err := writeISO(context.Background(), iso, &bytes.Buffer{}); err == nil {
		t.Fatal("writeISO of a missing tree = nil; want an error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a failed writeISO left %d entries; want none", len(ents))
	}
}

func BenchmarkISOMD5(b *testing.B) {
	img := fakeISO(64<<20, 64<<20/isoSector, 3)
	b.SetBytes(int64(len(img)))
	for b.Loop() {
		m := newISOMD5()
		m.Write(img)
		if _, err := m.AppData(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteISO compares the image with its MD5 summed on the way
// (writeISO) with xorriso's file followed by implantisomd5 (what
// boot.BuildISO runs), on a 256 MiB tree.
func BenchmarkWriteISO(b *testing.B) {
	testutil.NeedTools(b, "xorriso", boot.ImplantTool)
	dir := b.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := os.MkdirAll(filepath.Join(tree, "LiveOS"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "LiveOS/squashfs.img"), fakeISO(256<<20, 0, 9), 0o644); err != nil {
		b.Fatal(err)
	}
	iso := boot.ISO{Tree: tree, Label: "BENCH", Epoch: 1700000000, Out: filepath.Join(dir, "x.iso")}
	b.Run("fifo", func(b *testing.B) {
		iso := iso
		iso.ImplantMD5 = true
		for b.Loop() {
			if err := writeISO(b.Context(), iso, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("implantisomd5", func(b *testing.B) {
		for b.Loop() {
			if err := writeISO(b.Context(), iso, io.Discard); err != nil {
				b.Fatal(err)
			}
			if out, err := exec.Command(boot.ImplantTool, "--force", iso.Out).CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
		}
	})
}
