package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// hostile is one archive that must be refused.
type hostile struct {
	name   string
	format Format
	data   []byte
	opts   Options
	want   string // substring of the error message
}

// hostileCorpus builds the hostile and broken archives. abs is an absolute
// directory that absolute entry names aim at.
func hostileCorpus(t testing.TB, abs string) []hostile {
	t.Helper()
	tarOf := func(ents ...tent) []byte { return mkTar(t, ents...) }
	ok := tarOf(treg("a/one", 0o644, bigText(70000)), treg("a/two", 0o644, bigText(50000)))
	big := tent{h: tar.Header{Typeflag: tar.TypeReg, Name: "big", Mode: 0o644, Size: 2 << 20, ModTime: epoch}}
	zipOK := mkZip(t, zent{name: "a/one", mode: 0o644, data: bigText(70000)})
	rawBomb := zipRaw(t, "bomb", 1<<34, make([]byte, 40<<10))
	cs := []hostile{
		{"dotdot", Tar, tarOf(treg("../evil", 0o644, "x")), Options{}, `entry "../evil": path escapes the destination`},
		{"dotdot-deep", Tar, tarOf(treg("a/b/../../../outside/victim", 0o644, "x")), Options{}, `path escapes the destination`},
		{"dotdot-inside", Tar, tarOf(treg("a/../b", 0o644, "x")), Options{}, `entry "a/../b": path escapes the destination`},
		{"absolute", Tar, tarOf(treg(abs+"/abs-evil", 0o644, "x")), Options{}, `absolute path: path escapes the destination`},
		{"absolute-etc", TarGz, compress(t, TarGz, tarOf(treg("/etc/passwd", 0o644, "x"))), Options{}, `entry "/etc/passwd": absolute path`},
		{"symlink-out-then-write", Tar, tarOf(tsym("esc", "../outside"), treg("esc/victim", 0o644, "pwned")), Options{}, `entry "esc": symlink target "../outside": path escapes the destination`},
		{"symlink-absolute", Tar, tarOf(tsym("etc", abs), treg("etc/passwd", 0o644, "x")), Options{}, `is absolute: path escapes the destination`},
		{"write-through-inner-symlink", Tar, tarOf(tdir("sub/", 0o755), tsym("in", "sub"), treg("in/x", 0o644, "x")), Options{}, `entry "in/x": path goes through a symbolic link "in"`},
		{"symlink-chain", Tar, tarOf(tdir("a/", 0o755), tsym("a/s", ".."), tsym("t", "a/s/..")), Options{}, `entry "t": symlink target "a/s/..": path escapes`},
		{"symlink-chain-late", Tar, tarOf(tdir("a/", 0o755), tsym("t", "a/x/.."), tsym("a/x", "..")), Options{}, `entry "t": symlink target "a/x/..": path escapes`},
		{"symlink-chain-three", Tar, tarOf(tsym("l1", "l2/.."), tsym("l2", "l3"), tsym("l3", ".")), Options{}, `entry "l1": symlink target "l2/..": path escapes`},
		{"symlink-loop", Tar, tarOf(tsym("l1", "l2"), tsym("l2", "l1")), Options{}, `too many levels of symbolic links`},
		{"symlink-deep-escape", Tar, tarOf(tsym("a/b/c", "../../../outside")), Options{}, `entry "a/b/c": symlink target`},
		{"symlink-replaced-by-file", Tar, tarOf(treg("f", 0o644, "x"), tsym("s", "f"), treg("s", 0o644, "y")), Options{}, `entry "s": duplicate entry`},
		{"hardlink-out", Tar, tarOf(tlink("h", "../outside/victim")), Options{}, `entry "h": hard link target "../outside/victim": path escapes`},
		{"hardlink-absolute", Tar, tarOf(tlink("h", abs+"/victim")), Options{}, `absolute path`},
		{"hardlink-missing", Tar, tarOf(tlink("h", "nothere")), Options{}, `bad hard link: target "nothere" is not a regular file extracted earlier`},
		{"hardlink-to-symlink", Tar, tarOf(tsym("s", "../outside/victim"), tlink("h", "s")), Options{}, `entry "s": symlink target`},
		{"hardlink-to-inner-symlink", Tar, tarOf(treg("f", 0o644, "x"), tsym("s", "f"), tlink("h", "s")), Options{}, `entry "h": bad hard link`},
		{"hardlink-to-dir", Tar, tarOf(tdir("d/", 0o755), tlink("h", "d")), Options{}, `entry "h": bad hard link`},
		{"chardev", Tar, tarOf(tspecial(tar.TypeChar, "dev/null")), Options{}, `entry "dev/null": character device: special files are not allowed`},
		{"blockdev", Tar, tarOf(tspecial(tar.TypeBlock, "dev/sda")), Options{}, `entry "dev/sda": block device: special files are not allowed`},
		{"fifo", TarZst, compress(t, TarZst, tarOf(tspecial(tar.TypeFifo, "pipe"))), Options{}, `entry "pipe": fifo: special files are not allowed`},
		{"setuid", Tar, tarOf(treg("bin/su", 0o4755, "x")), Options{}, `entry "bin/su": setuid/setgid bit not declared (mode 04755); declare it to allow`},
		{"setgid", Tar, tarOf(treg("bin/wall", 0o2755, "x")), Options{}, `entry "bin/wall": setuid/setgid bit not declared`},
		{"setuid-other-declared", Tar, tarOf(treg("bin/su", 0o4755, "x")), Options{AllowSetuid: []string{"bin/sudo"}}, `entry "bin/su": setuid/setgid bit not declared`},
		{"setgid-dir", Tar, tarOf(tdir("var/mail/", 0o2775)), Options{}, `entry "var/mail/": setuid/setgid bit not declared`},
		{"duplicate-file", Tar, tarOf(treg("f", 0o644, "x"), treg("f", 0o644, "y")), Options{}, `entry "f": duplicate entry`},
		{"duplicate-dotslash", TarXz, compress(t, TarXz, tarOf(treg("f", 0o644, "x"), treg("./f", 0o644, "y"))), Options{}, `entry "./f": duplicate entry`},
		{"duplicate-dir", Tar, tarOf(tdir("d/", 0o755), tdir("d/", 0o700)), Options{}, `entry "d/": duplicate entry`},
		{"file-then-dir", Tar, tarOf(treg("x", 0o644, "x"), tdir("x/", 0o755)), Options{}, `entry "x/": duplicate entry`},
		{"file-as-parent", Tar, tarOf(treg("x", 0o644, "x"), treg("x/y", 0o644, "y")), Options{}, `entry "x/y": parent "x" is not a directory`},
		{"non-utf8-name", Tar, tarOf(treg("bad\xff\xfename", 0o644, "x")), Options{}, `name is not valid UTF-8`},
		{"non-utf8-target", Tar, tarOf(tsym("s", "t\xff")), Options{}, `entry "s": symlink target: name is not valid UTF-8`},
		{"backslash", Tar, tarOf(treg(`..\..\evil`, 0o644, "x")), Options{}, `name contains a backslash`},
		{"empty-name", Tar, rawTar(t, "", tar.TypeReg), Options{}, `empty name`},
		{"nul-name-pax", Tar, paxNUL(t), Options{}, `corrupt archive`},
		{"root-as-file", Tar, rawTar(t, "./", tar.TypeReg), Options{}, `entry "./": entry names the destination itself`},
		{"unsupported-type", Tar, rawTar(t, "vol", 'V'), Options{}, `entry "vol": tar type 'V': unsupported entry`},
		{"oversized-header", Tar, mkTar(t, big), Options{MaxFileSize: 1 << 20}, `entry "big": file size 2097152 over the limit 1048576: size limit exceeded`},
		{"oversized-header-huge", Tar, rawTarSize(t, "huge", 1<<40), Options{}, `entry "huge": file size 1099511627776 over the limit`},
		{"total-over-limit", TarGz, compress(t, TarGz, ok), Options{MaxTotal: 100000}, `entry "a/two": total size over the limit 100000`},
		{"too-many-entries", Tar, ok, Options{MaxEntries: 1}, `entry count over the limit 1: size limit exceeded`},
		{"truncated-tar", Tar, truncate(ok, 0.5), Options{}, `entry "a/one": corrupt archive: unexpected EOF`},
		{"truncated-gz", TarGz, truncate(compress(t, TarGz, ok), 0.6), Options{}, `corrupt archive: gz stream: unexpected EOF`},
		{"bitflip-gz", TarGz, corruptAt(compress(t, TarGz, ok), -6), Options{}, `corrupt archive: gz stream: gzip: invalid checksum`},
		{"garbage-gz", TarGz, []byte("\x1f\x8bnot really gzip at all"), Options{}, `corrupt archive: gz header: gzip: invalid header`},
		{"truncated-xz", TarXz, truncate(compress(t, TarXz, ok), 0.6), Options{}, `corrupt archive: xz stream`},
		{"bitflip-xz", TarXz, corruptAt(compress(t, TarXz, ok), -20), Options{}, `corrupt archive: xz stream`},
		{"truncated-zst", TarZst, truncate(compress(t, TarZst, ok), 0.6), Options{}, `corrupt archive: zst stream`},
		{"bitflip-zst", TarZst, corruptAt(compress(t, TarZst, ok), -2), Options{}, `corrupt archive: zst stream`},
		{"truncated-single-gz", Gz, truncate(compress(t, Gz, []byte(bigText(90000))), 0.5), Options{SingleName: "out"}, `entry "out": corrupt archive: gz stream: unexpected EOF`},
		{"bitflip-single-zst", Zst, corruptAt(compress(t, Zst, []byte(bigText(90000))), -3), Options{SingleName: "out"}, `entry "out": corrupt archive: zst stream`},
		{"single-gz-bomb", Gz, compress(t, Gz, make([]byte, 3<<20)), Options{SingleName: "out", MaxFileSize: 1 << 20}, `entry "out": data over the size limit 1048576: size limit exceeded`},
		{"single-dotdot-name", Xz, compress(t, Xz, []byte("x")), Options{SingleName: "../out"}, `entry "../out": path escapes`},
		{"unknown-format", "", []byte("just some bytes, not an archive"), Options{}, `unknown archive format`},
		{"zip-dotdot", Zip, mkZip(t, zent{name: "../../outside/victim", mode: 0o644, data: "pwned"}), Options{}, `entry "../../outside/victim": path escapes the destination`},
		{"zip-absolute", Zip, mkZip(t, zent{name: abs + "/zip-evil", mode: 0o644, data: "x"}), Options{}, `absolute path`},
		{"zip-symlink-out", Zip, mkZip(t, zent{name: "l", mode: fs.ModeSymlink | 0o777, data: "../outside"}, zent{name: "l/victim", mode: 0o644, data: "x"}), Options{}, `entry "l": symlink target "../outside": path escapes`},
		{"zip-symlink-through", Zip, mkZip(t, zent{name: "d/", mode: fs.ModeDir | 0o755}, zent{name: "l", mode: fs.ModeSymlink | 0o777, data: "d"}, zent{name: "l/x", mode: 0o644, data: "x"}), Options{}, `entry "l/x": path goes through a symbolic link`},
		{"zip-truncated", Zip, truncate(zipOK, 0.7), Options{}, `corrupt archive: zip: not a valid zip file`},
		{"zip-bitflip", Zip, corruptAt(zipOK, 200), Options{}, `entry "a/one": corrupt archive`},
		{"zip-bomb-declared", Zip, rawBomb, Options{}, `declared size 17179869184 is over 1100 times`},
		{"zip-bomb-ratio", Zip, mkZip(t, zent{name: "zeros", mode: 0o644, data: string(make([]byte, 4<<20))}), Options{MaxRatio: 100}, `is over 100 times the archive's`},
		{"zip-overlap", Zip, zipOverlap(t), Options{}, `entries share compressed data (zip bomb)`},
		{"zip-size-lie", Zip, zipRaw(t, "lie", 10, []byte(bigText(5000))), Options{}, `entry "lie": corrupt archive`},
		{"zip-chardev", Zip, mkZip(t, zent{name: "null", mode: fs.ModeDevice | fs.ModeCharDevice | 0o666}), Options{}, `entry "null": device node: special files are not allowed`},
		{"zip-fifo", Zip, mkZip(t, zent{name: "p", mode: fs.ModeNamedPipe | 0o644}), Options{}, `entry "p": fifo: special files`},
		{"zip-setuid", Zip, mkZip(t, zent{name: "su", mode: fs.ModeSetuid | 0o755, data: "x"}), Options{}, `entry "su": setuid/setgid bit not declared`},
		{"zip-duplicate", Zip, mkZip(t, zent{name: "f", mode: 0o644, data: "1"}, zent{name: "f", mode: 0o644, data: "2"}), Options{}, `entry "f": duplicate entry`},
		{"zip-nul-name", Zip, mkZip(t, zent{name: "a\x00b", mode: 0o644, data: "x"}), Options{}, `name contains a NUL byte`},
		{"zip-non-utf8", Zip, mkZip(t, zent{name: "caf\xe9", mode: 0o644, data: "x"}), Options{}, `name is not valid UTF-8`},
		{"zip-empty-name", Zip, mkZip(t, zent{name: "", mode: 0o644, data: "x"}), Options{}, `empty name`},
	}
	return cs
}

// rawTar is a one-entry tar whose header archive/tar's writer would refuse.
func rawTar(t testing.TB, name string, typ byte) []byte {
	t.Helper()
	b := mkTar(t, treg("placeholder", 0o644, ""))
	copy(b[0:100], make([]byte, 100))
	copy(b[0:100], name)
	b[156] = typ
	fixChecksum(b[:512])
	return b
}

// rawTarSize is a tar whose header claims size bytes but carries none.
func rawTarSize(t testing.TB, name string, size int64) []byte {
	t.Helper()
	h := tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: size, ModTime: epoch, Format: tar.FormatPAX}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	must(t, tw.WriteHeader(&h))
	tw.Flush()
	return append(buf.Bytes(), make([]byte, 1024)...)
}

// paxNUL is a tar whose PAX path record carries a NUL byte.
func paxNUL(t testing.TB) []byte {
	t.Helper()
	rec := "path=a\x00/../../evil\n"
	rec = strconv.Itoa(len(rec)+3) + " " + rec
	hdr := rawTar(t, "PaxHeaders/x", tar.TypeXHeader)[:512]
	copy(hdr[124:136], []byte(octal(len(rec), 11)+"\x00"))
	fixChecksum(hdr)
	body := make([]byte, 512)
	copy(body, rec)
	out := append(append([]byte{}, hdr...), body...)
	return append(out, mkTar(t, treg("x", 0o644, "x"))...)
}

func octal(n, width int) string {
	return fmt.Sprintf("%0*o", width, n)
}

func fixChecksum(h []byte) {
	copy(h[148:156], "        ")
	sum := 0
	for _, c := range h[:512] {
		sum += int(c)
	}
	copy(h[148:156], octal(sum, 6)+"\x00 ")
}

// zipRaw is a zip whose one stored entry declares size bytes.
func zipRaw(t testing.TB, name string, size uint64, data []byte) []byte {
	t.Helper()
	fh := &zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: size,
		CompressedSize64: uint64(len(data)), CRC32: crc32.ChecksumIEEE(data), Modified: epoch}
	fh.SetMode(0o644)
	return mkZip(t, zent{raw: fh, data: string(data)})
}

// zipOverlap points a second central directory record at the first entry's
// data, the trick of the overlapping-file zip bomb.
func zipOverlap(t testing.TB) []byte {
	t.Helper()
	b := mkZip(t, zent{name: "a", mode: 0o644, data: bigText(5000)}, zent{name: "b", mode: 0o644, data: bigText(5000)})
	first := bytes.Index(b, []byte("PK\x01\x02"))
	second := first + 1 + bytes.Index(b[first+1:], []byte("PK\x01\x02"))
	copy(b[second+42:second+46], b[first+42:first+46])
	return b
}

func TestHostile(t *testing.T) {
	sb0 := newSandbox(t)
	cases := hostileCorpus(t, filepath.Join(sb0.parent, "outside"))
	if len(cases) < 40 {
		t.Fatalf("corpus has %d cases; want at least 40", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := *sb0
			sb.dst = filepath.Join(sb0.parent, "dst-"+c.name)
			_, err := ExtractReader(context.Background(), c.name+".archive", bytes.NewReader(c.data), c.format, sb.dst, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("ExtractReader(%s) = %v; want error containing %q", c.name, err, c.want)
			}
			t.Log(err)
			var ae *Error
			if !errors.As(err, &ae) || ae.Archive != c.name+".archive" {
				t.Errorf("ExtractReader(%s) error %#v; want *Error naming the archive", c.name, err)
			}
			if _, serr := os.Lstat(sb.dst); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("after failure, %s exists (%v); want it removed", sb.dst, serr)
			}
			sb.checkUntouched(t)
		})
	}
}

func TestHostileKeepsExistingEmptyDst(t *testing.T) {
	sb := newSandbox(t)
	must(t, os.Mkdir(sb.dst, 0o750))
	data := mkTar(t, treg("a", 0o644, "x"), treg("b/c", 0o644, "y"), treg("../evil", 0o644, "z"))
	_, err := ExtractReader(context.Background(), "x.tar", bytes.NewReader(data), Tar, sb.dst, Options{})
	if err == nil || !strings.Contains(err.Error(), `x.tar: entry "../evil": path escapes the destination`) {
		t.Fatalf("ExtractReader = %v; want escape error", err)
	}
	names, _ := readNames(sb.dst)
	if len(names) != 0 {
		t.Errorf("dst after failure holds %v; want empty", names)
	}
	sb.checkUntouched(t)
}

func TestNonEmptyDestination(t *testing.T) {
	sb := newSandbox(t)
	must(t, os.Mkdir(sb.dst, 0o755))
	must(t, os.WriteFile(filepath.Join(sb.dst, "keep"), []byte("mine"), 0o644))
	_, err := ExtractReader(context.Background(), "x.tar", bytes.NewReader(mkTar(t, treg("keep", 0o644, "theirs"))), Tar, sb.dst, Options{})
	if err == nil || !strings.Contains(err.Error(), "bad destination") || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("ExtractReader into non-empty dst = %v; want 'is not empty'", err)
	}
	if b, _ := os.ReadFile(filepath.Join(sb.dst, "keep")); string(b) != "mine" {
		t.Errorf("existing file = %q; want %q", b, "mine")
	}
}
