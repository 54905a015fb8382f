package boot

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

// implantisomd5 (Debian package isomd5sum) is the reference the summer
// is compared with; the product never runs it.
const implantisomd5 = "implantisomd5"

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
	if out, err := exec.Command(implantisomd5, "--force", p).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", implantisomd5, err, out)
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
	testutil.NeedTools(t, implantisomd5)
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
		t.Run(tt.name, func(t *testing.T) {
			m := newISOMD5()
			m.Write(tt.img)
			if _, err := m.AppData(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("AppData(%s) = %v; want an error with %q", tt.name, err, tt.want)
			}
		})
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
