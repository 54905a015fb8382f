package boot

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/testutil"
)

// buildLogged runs BuildISO with its output in a buffer, which it
// returns.
func buildLogged(ctx context.Context, iso ISO) (string, error) {
	var log bytes.Buffer
	err := BuildISO(ctx, iso, run.Cmd{Stdout: &log, Stderr: &log})
	return log.String(), err
}

// TestBuildISOImplants builds a real hybrid image through the FIFO and
// compares it with xorriso's file plus implantisomd5, then lets
// checkisomd5 verify it, and fail it once a byte of a file changed.
func TestBuildISOImplants(t *testing.T) {
	testutil.NeedTools(t, "xorriso", implantisomd5, "checkisomd5")
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	blob := fakeISO(3<<20+123, 0, 7) // random content only
	for name, data := range map[string][]byte{"LiveOS/squashfs.img": blob, "boot/grub/grub.cfg": []byte("set timeout=5\n")} {
		if err := writeFile(filepath.Join(tree, name), data); err != nil {
			t.Fatal(err)
		}
	}
	iso := ISO{Tree: tree, Label: "TESTMD5", Application: "test", Epoch: 1700000000}
	plain := iso
	plain.Out = filepath.Join(dir, "plain.iso")
	log, err := buildLogged(context.Background(), plain)
	if err != nil {
		t.Fatalf("BuildISO(plain) = %v\n%s", err, log)
	}
	if re := `(?m)^\$ xorriso -as mkisofs .* -o \S+/plain\.iso\.tmp ` + regexp.QuoteMeta(tree) + `$`; !regexp.MustCompile(re).MatchString(log) {
		t.Errorf("BuildISO(plain) log lacks %s:\n%s", re, log)
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
	log, err = buildLogged(context.Background(), iso)
	if err != nil {
		t.Fatalf("BuildISO(ImplantMD5) = %v\n%s", err, log)
	}
	for _, re := range []string{
		`(?m)^\$ xorriso -as mkisofs .* -o \S+/image ` + regexp.QuoteMeta(tree) + `$`,
		`(?m)^implanted \(as implantisomd5 --force\): ISO MD5SUM = [0-9a-f]{32};SKIPSECTORS = 15;.*THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!$`,
	} {
		if !regexp.MustCompile(re).MatchString(log) {
			t.Errorf("BuildISO(ImplantMD5) log lacks %s:\n%s", re, log)
		}
	}
	got, err := os.ReadFile(iso.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("BuildISO with ImplantMD5 differs from xorriso + implantisomd5 (%d and %d bytes)", len(got), len(want))
	}
	if ents, _ := os.ReadDir(filepath.Dir(iso.Out)); len(ents) != 1 {
		t.Errorf("BuildISO left %d entries beside the image; want only the image", len(ents))
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

// TestBuildISOMissingTree: the real xorriso fails on a missing tree, with
// and without the MD5; nothing is left in the output directory.
func TestBuildISOMissingTree(t *testing.T) {
	testutil.NeedTools(t, "xorriso")
	for _, implant := range []bool{false, true} {
		dir := t.TempDir()
		iso := ISO{Tree: filepath.Join(dir, "missing"), Label: "TESTMD5", Epoch: 0, ImplantMD5: implant,
			Out: filepath.Join(dir, "x.iso")}
		if log, err := buildLogged(context.Background(), iso); err == nil {
			t.Errorf("BuildISO(missing tree, ImplantMD5 %v) = nil; want an error\n%s", implant, log)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("BuildISO(missing tree, ImplantMD5 %v) left %d entries; want none", implant, len(ents))
		}
	}
}

// BenchmarkBuildISO compares the image with its MD5 summed on the way
// (BuildISO with ImplantMD5) with xorriso's file followed by a second
// pass of implantisomd5, on a 256 MiB tree.
func BenchmarkBuildISO(b *testing.B) {
	testutil.NeedTools(b, "xorriso", implantisomd5)
	dir := b.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := writeFile(filepath.Join(tree, "LiveOS/squashfs.img"), fakeISO(256<<20, 0, 9)); err != nil {
		b.Fatal(err)
	}
	iso := ISO{Tree: tree, Label: "BENCH", Epoch: 1700000000, Out: filepath.Join(dir, "x.iso")}
	quiet := run.Cmd{Stdout: io.Discard, Stderr: io.Discard}
	b.Run("fifo", func(b *testing.B) {
		iso := iso
		iso.ImplantMD5 = true
		for b.Loop() {
			if err := BuildISO(b.Context(), iso, quiet); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("implantisomd5", func(b *testing.B) {
		for b.Loop() {
			if err := BuildISO(b.Context(), iso, quiet); err != nil {
				b.Fatal(err)
			}
			if out, err := exec.Command(implantisomd5, "--force", iso.Out).CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
		}
	})
}
