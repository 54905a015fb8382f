package install

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

// BenchmarkNoOpInstall is the engine's part of a warm "recipe install X"
// when X is installed already: open the database, read one record.
func BenchmarkNoOpInstall(b *testing.B) {
	srv := newServer(b, false)
	opts := Options{Root: b.TempDir(), NoSync: true}
	pkg := benchPackage(b, srv, "tool", 1)
	if _, err := Install(context.Background(), []Package{pkg}, opts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sum, err := Install(context.Background(), []Package{pkg}, opts)
		if err != nil || len(sum.Skipped) != 1 {
			b.Fatalf("Install = %+v, %v; want skipped", sum, err)
		}
	}
}

// BenchmarkInstall200 installs 200 small packages whose sources are cached
// in one transaction into a fresh root, with and without fsync.
func BenchmarkInstall200(b *testing.B) {
	srv := newServer(b, false)
	cache := b.TempDir()
	var pkgs []Package
	for i := range 200 {
		pkgs = append(pkgs, benchPackage(b, srv, fmt.Sprintf("p%03d", i), 3))
	}
	warm := Options{Root: b.TempDir(), CacheDir: cache, NoSync: true}
	if _, err := Install(context.Background(), pkgs, warm); err != nil {
		b.Fatal(err)
	}
	parent := b.TempDir()
	n := 0
	for _, noSync := range []bool{false, true} {
		b.Run(fmt.Sprintf("nosync=%v", noSync), func(b *testing.B) {
			for b.Loop() {
				n++
				opts := Options{Root: filepath.Join(parent, fmt.Sprint(n)), CacheDir: cache, NoSync: noSync}
				sum, err := Install(context.Background(), pkgs, opts)
				if err != nil || len(sum.Installed) != 200 {
					b.Fatalf("Install = %v; want 200 installed", err)
				}
			}
		})
	}
}

// benchPackage is a package of files small files, extracted and copied by
// install forms, no build command.
func benchPackage(b testing.TB, srv *server, name string, files int) Package {
	content := map[string]string{}
	install := ""
	for i := range files {
		f := fmt.Sprintf("%s-%d", name, i)
		content[f] = f + "\n"
		install += fmt.Sprintf(" (to-share %q %q)", f, name+"/"+f)
	}
	url, sum := srv.add(name+".tar.zst", testutil.Tarball(b, content, "zst"))
	text := fmt.Sprintf(`(package %q "1.0" (description "x") (acquire (source %q (sha256 %q))) (build (extract tar-zst)) (install%s))`,
		name, url, sum, install)
	return Package{Recipe: decode(b, b.TempDir(), text)}
}

// BenchmarkBigZst compares installing a cached ~100 MB .tar.zst package
// (extract, install forms, record with sha256, commit), durable and with
// NoSync, with "tar --zstd -xf" of the same file into an empty directory,
// alone and followed by "sync -f" of its output. Each run starts after a
// sync, so that no run pays for the previous one's dirty pages.
func BenchmarkBigZst(b *testing.B) {
	if _, err := exec.LookPath("tar"); err != nil {
		b.Skip("tar missing")
	}
	dir := b.TempDir()
	archive := filepath.Join(dir, "big.tar.zst")
	writeBigArchive(b, archive, 100, 1<<20)
	data, err := os.ReadFile(archive)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(data)
	text := fmt.Sprintf(`(package "big" "1.0" (description "x") (acquire (file "big.tar.zst" (sha256 %q))) (build (extract tar-zst)) (install (to-share "big" "big")))`,
		hex.EncodeToString(sum[:]))
	pkg := Package{Recipe: decode(b, b.TempDir(), text), Dir: dir}
	cache := b.TempDir()
	parent := b.TempDir()
	means := map[string]time.Duration{}
	n := 0
	timed := func(name string, run func(out string) error) {
		b.Run(name, func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				n++
				out := filepath.Join(parent, fmt.Sprint(n))
				b.StopTimer()
				if err := exec.Command("sync").Run(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if err := run(out); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				b.StopTimer()
				os.RemoveAll(out)
				b.StartTimer()
			}
			means[name] = total / time.Duration(b.N)
		})
	}
	engine := func(noSync bool) func(string) error {
		return func(out string) error {
			_, err := Install(context.Background(), []Package{pkg}, Options{Root: out, CacheDir: cache, NoSync: noSync})
			return err
		}
	}
	tar := func(sync bool) func(string) error {
		return func(out string) error {
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			if err := exec.Command("tar", "--zstd", "-xf", archive, "-C", out).Run(); err != nil || !sync {
				return err
			}
			return exec.Command("sync", "-f", out).Run()
		}
	}
	timed("engine", engine(false))
	timed("engine-nosync", engine(true))
	timed("tar", tar(false))
	timed("tar-sync", tar(true))
	if t := means["tar"]; t > 0 {
		b.Logf("engine %v (%.2f x tar), engine NoSync %v (%.2f x), tar --zstd -xf %v, tar + sync -f %v (%.2f x)",
			means["engine"], float64(means["engine"])/float64(t), means["engine-nosync"], float64(means["engine-nosync"])/float64(t),
			t, means["tar-sync"], float64(means["tar-sync"])/float64(t))
	}
}

// writeBigArchive writes n files of size bytes, half random and half
// repetitive so that zstd has something to do, as a .tar.zst.
func writeBigArchive(b testing.TB, path string, n, size int) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string]string{"big/": ""}
	for i := range n {
		buf := make([]byte, size)
		for j := 0; j < size/2; j += 8 {
			v := rng.Uint64()
			for k := range 8 {
				buf[j+k] = byte(v >> (8 * k))
			}
		}
		for j := size / 2; j < size; j++ {
			buf[j] = byte(j % 251)
		}
		files[fmt.Sprintf("big/f%03d.bin", i)] = string(buf)
	}
	if err := os.WriteFile(path, testutil.Tarball(b, files, "zst"), 0o644); err != nil {
		b.Fatal(err)
	}
}
