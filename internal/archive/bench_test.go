package archive

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets bench/extract.sh use the test binary as a tool, so that
// hyperfine times Extract as a whole process next to tar:
//
//	ARCHIVE_BENCH_TOOL=gen     ARCHIVE_BENCH_DST=dir  writes the benchmark tree
//	ARCHIVE_BENCH_TOOL=extract ARCHIVE_BENCH_SRC=file ARCHIVE_BENCH_DST=dir
func TestMain(m *testing.M) {
	switch os.Getenv("ARCHIVE_BENCH_TOOL") {
	case "":
		os.Exit(m.Run())
	case "gen":
		if err := genTree(os.Getenv("ARCHIVE_BENCH_DST"), 1); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "extract":
		_, err := Extract(context.Background(), os.Getenv("ARCHIVE_BENCH_SRC"), "", os.Getenv("ARCHIVE_BENCH_DST"), Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown ARCHIVE_BENCH_TOOL")
		os.Exit(2)
	}
	os.Exit(0)
}

// genTree writes a package-like tree: many small text files and a few large
// files that are partly incompressible, about 240 MB times scale
// (about 100 MB as .tar.zst at scale 1).
func genTree(dir string, scale float64) error {
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 2000)
	for i := range words {
		b := make([]byte, 2+r.IntN(9))
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		words[i] = string(b)
	}
	text := func(n int) []byte {
		var sb strings.Builder
		for sb.Len() < n {
			sb.WriteString(words[r.IntN(len(words))])
			if r.IntN(12) == 0 {
				sb.WriteByte('\n')
			} else {
				sb.WriteByte(' ')
			}
		}
		return []byte(sb.String()[:n])
	}
	small := int(20000 * scale)
	for i := range small {
		d := filepath.Join(dir, fmt.Sprintf("share/pkg%03d/sub%02d", i%200, i%7))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("file%05d.txt", i)), text(512+r.IntN(11*1024)), 0o644); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		return err
	}
	for i := range 6 {
		var data []byte
		for len(data) < int(20<<20*scale) {
			chunk := make([]byte, 64<<10)
			if r.IntN(100) < 35 {
				for j := range chunk {
					chunk[j] = byte(r.Uint32())
				}
			} else {
				chunk = text(len(chunk))
			}
			data = append(data, chunk...)
		}
		if err := os.WriteFile(filepath.Join(dir, "bin", fmt.Sprintf("big%d", i)), data, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkExtractTarZst extracts the same .tar.zst (a tenth of the
// bench/extract.sh size) with Extract and with GNU tar, side by side.
func BenchmarkExtractTarZst(b *testing.B) {
	if _, err := exec.LookPath("tar"); err != nil {
		b.Skip("tar not installed")
	}
	work := b.TempDir()
	tree := filepath.Join(work, "tree")
	if err := genTree(tree, 0.1); err != nil {
		b.Fatal(err)
	}
	arc := filepath.Join(work, "data.tar.zst")
	if out, err := exec.Command("tar", "--zstd", "-cf", arc, "-C", tree, ".").CombinedOutput(); err != nil {
		b.Fatalf("tar: %v\n%s", err, out)
	}
	fi, _ := os.Stat(arc)
	run := func(b *testing.B, extract func(dst string) error) {
		b.SetBytes(fi.Size())
		for i := 0; b.Loop(); i++ {
			dst := filepath.Join(work, fmt.Sprintf("out%d", i))
			if err := os.Mkdir(dst, 0o755); err != nil {
				b.Fatal(err)
			}
			if err := extract(dst); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			os.RemoveAll(dst)
			b.StartTimer()
		}
	}
	b.Run("archive.Extract", func(b *testing.B) {
		run(b, func(dst string) error {
			_, err := Extract(context.Background(), arc, "", dst, Options{})
			return err
		})
	})
	b.Run("archive.Extract+Sums", func(b *testing.B) {
		run(b, func(dst string) error {
			_, err := Extract(context.Background(), arc, "", dst, Options{Sums: true})
			return err
		})
	})
	b.Run("tar", func(b *testing.B) {
		run(b, func(dst string) error {
			out, err := exec.Command("tar", "--zstd", "-xf", arc, "-C", dst).CombinedOutput()
			if err != nil {
				return fmt.Errorf("%v: %s", err, out)
			}
			return nil
		})
	})
}
