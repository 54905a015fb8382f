package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// helloText is what the test package's program prints.
const helloText = "hello from a recipe on a second disk"

// testPackageDisk writes a FAT image holding hello.recipe and the tarball
// it installs from, made with mkfs.fat and mtools (no mounts), and returns
// its path. The installed system mounts it to install the recipe from a
// file, as a person would from a USB stick.
func testPackageDisk(t *testing.T, dir string) string {
	t.Helper()
	tarball := helloTarball(t)
	sum := sha256.Sum256(tarball)
	recipe := fmt.Sprintf(`(package "hello" "1.0"
  (description "A test program installed after the reboot")
  (license "MIT")
  (acquire (file "hello-1.0.tar.gz" (sha256 %q)))
  (build (extract tar-gz))
  (install (to-bin "hello-1.0/hello")))
`, hex.EncodeToString(sum[:]))
	files := filepath.Join(dir, "files")
	must(t, os.MkdirAll(files, 0o755))
	must(t, os.WriteFile(filepath.Join(files, "hello.recipe"), []byte(recipe), 0o644))
	must(t, os.WriteFile(filepath.Join(files, "hello-1.0.tar.gz"), tarball, 0o644))
	img := filepath.Join(dir, "testpkg.img")
	runTool(t, "mkfs.fat", "-C", "-n", "TESTPKG", img, "8192")
	runTool(t, "mcopy", "-i", img, filepath.Join(files, "hello.recipe"), filepath.Join(files, "hello-1.0.tar.gz"), "::/")
	return img
}

// helloTarball is hello-1.0/hello, a shell script, as a .tar.gz.
func helloTarball(t *testing.T) []byte {
	t.Helper()
	script := "#!/bin/sh\necho '" + helloText + "'\n"
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	must(t, tw.WriteHeader(&tar.Header{Name: "hello-1.0/", Typeflag: tar.TypeDir, Mode: 0o755}))
	must(t, tw.WriteHeader(&tar.Header{Name: "hello-1.0/hello", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(script))}))
	_, err := tw.Write([]byte(script))
	must(t, err)
	must(t, tw.Close())
	must(t, zw.Close())
	return buf.Bytes()
}

func runTool(t *testing.T, argv ...string) {
	t.Helper()
	if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", argv, err, out)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
