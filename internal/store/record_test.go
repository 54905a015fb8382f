package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCorruptRecords(t *testing.T) {
	reseal := func(body string) func([]byte) []byte {
		return func([]byte) []byte { return seal(recordMagic, []byte(body)) }
	}
	tests := []struct {
		name   string
		mangle func(data []byte) []byte
		reason string
	}{
		{"empty", func([]byte) []byte { return nil }, "missing header line"},
		{"truncated body", func(d []byte) []byte { return d[:len(d)-10] }, "truncated"},
		{"truncated header", func(d []byte) []byte { return d[:20] }, "missing header line"},
		{"bit flip", func(d []byte) []byte {
			d = bytes.Clone(d)
			d[len(d)/2] ^= 0x04
			return d
		}, "checksum mismatch"},
		{"wrong version", func(d []byte) []byte {
			return bytes.Replace(d, []byte("recipe-db 1 "), []byte("recipe-db 2 "), 1)
		}, "unsupported format version"},
		{"wrong magic", func(d []byte) []byte { return append([]byte("{"), d...) }, "is not"},
		{"trailing bytes", func(d []byte) []byte { return append(bytes.Clone(d), "x"...) }, "1 bytes after the body"},
		{"invalid meta json", reseal("{\"name\":\"p\",\n[]\n"), "meta:"},
		{"invalid file line", reseal(`{"name":"p","version":"1"}` + "\nfile 644 x - - a\n"), `file line 1: size "x"`},
		{"no meta line", reseal(`{"name":"p"}`), "no meta line"},
		{"other package", reseal(`{"name":"q","version":"1"}` + "\n[]\n"), `record names package "q"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			runTx(t, root, step{install: []spec{genPkg("p", "1", 4), genPkg("ok", "1", 4)}}.plan(t, root))
			hp := filepath.Join(root, dbDir, installedDir, "p.rec")
			data, err := os.ReadFile(hp)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(hp, tt.mangle(data), 0o644); err != nil {
				t.Fatal(err)
			}
			db := openDB(t, root, Options{})
			_, err = db.Get("p")
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Path != hp || !strings.Contains(ce.Reason, tt.reason) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get(p) = %v; want *CorruptError at %s with %q", err, hp, tt.reason)
			}
			// Lookup and List do not parse the file list (but checksum it).
			if tt.name != "invalid file line" {
				if _, err := db.Lookup("p"); !errors.As(err, &ce) {
					t.Errorf("Lookup(p) = %v; want *CorruptError", err)
				}
				metas, err := db.List()
				if len(metas) != 1 || metas[0].Name != "ok" || err == nil || !strings.Contains(err.Error(), hp) {
					t.Errorf("List() = %v, %v; want [ok] and an error naming %s", metas, err, hp)
				}
			}
			recs, err := db.Records()
			if len(recs) != 1 || recs[0].Name != "ok" || err == nil || !strings.Contains(err.Error(), hp) {
				t.Errorf("Records() = %d records, %v; want [ok] and an error naming %s", len(recs), err, hp)
			}
			if tx, err := db.Begin(context.Background(), Plan{}); err == nil || !strings.Contains(err.Error(), hp) {
				if tx != nil {
					tx.Close()
				}
				t.Errorf("Begin = %v; want an error naming %s", err, hp)
			}
		})
	}
}

func TestCorruptJournal(t *testing.T) {
	root := t.TempDir()
	db := openDB(t, root, Options{FailAt: func(s string) error {
		if s == "commit" {
			return errors.New("crash")
		}
		return nil
	}})
	tx, err := db.Begin(context.Background(), step{install: []spec{genPkg("p", "1", 4)}}.plan(t, root))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(context.Background()); err == nil {
		t.Fatal("Commit = nil; want the injected crash")
	}
	tx.Close()
	jp := filepath.Join(root, journalPath)
	data, err := os.ReadFile(jp)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 1
	os.WriteFile(jp, data, 0o644)
	_, err = openDB(t, root, Options{}).Recover(context.Background())
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != jp {
		t.Errorf("Recover = %v; want *CorruptError at %s", err, jp)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	r := &Record{Meta: Meta{Name: "n", Version: "1.0-2", Features: []string{"x"}, Reason: Dependency, Depends: []string{"libc"}},
		Files: []File{{Path: "usr/bin/n", Type: TypeFile, Mode: 0o4755, Size: 3, SHA256: strings.Repeat("ab", 32)},
			{Path: "usr/bin/m", Type: TypeSymlink, Target: "n"}}}
	data, err := encodeRecord(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeRecord("x", "n", data, true)
	if err != nil {
		t.Fatalf("decodeRecord = %v", err)
	}
	again, _ := encodeRecord(got)
	if !bytes.Equal(again, data) {
		t.Errorf("encode(decode(x)) = %q; want %q", again, data)
	}
}

func TestModeConversion(t *testing.T) {
	for _, m := range []uint32{0, 0o644, 0o755, 0o4755, 0o2711, 0o1777, 0o7777} {
		if got := UnixMode(FileMode(m)); got != m {
			t.Errorf("UnixMode(FileMode(%04o)) = %04o; want %04o", m, got, m)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	r := &Record{Meta: Meta{Name: "n", Version: "1"}, Files: []File{{Path: "a", Type: TypeDir, Mode: 0o755}}}
	data, _ := encodeRecord(r)
	f.Add(data)
	f.Add(seal(recordMagic, []byte("{\"name\":\"n\"}\nsymlink 777 0 - - \"a b\" \"\\x00\"\n")))
	f.Add([]byte("recipe-db 1 00 5\nabcde"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := decodeRecord("x", "n", data, true)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("decodeRecord error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		// Whatever decodes must have carried a valid seal.
		body, rest, reason := open(recordMagic, data)
		if reason != "" || len(rest) != 0 || rec.Name != "n" || len(body) == 0 {
			t.Fatalf("decodeRecord accepted %q", data)
		}
	})
}

func TestFileLinesRoundTrip(t *testing.T) {
	sum := strings.Repeat("0f", 32)
	tests := []File{
		{Path: "usr/bin/x", Type: TypeFile, Mode: 0o755, Size: 10, SHA256: sum},
		{Path: "etc/x.conf", Type: TypeFile, Mode: 0o600, SHA256: sum, Config: true},
		{Path: "usr/share/a b/c\td", Type: TypeDir, Mode: 0o755},
		{Path: `"quoted"`, Type: TypeFile, Mode: 0o644, SHA256: sum},
		{Path: "-", Type: TypeDir, Mode: 0o755},
		{Path: "lat\xe9n1", Type: TypeSymlink, Target: "../x y"},
		{Path: "usr/lib/l", Type: TypeSymlink, Target: `"`},
		{Path: `back\slash`, Type: TypeSymlink, Target: "/abs/target"},
	}
	for _, f := range tests {
		line := appendFileLine(nil, f)
		got, err := parseFileLines(line)
		if err != nil || len(got) != 1 || got[0] != f {
			t.Errorf("parseFileLines(%q) = %+v, %v; want %+v", line, got, err, f)
		}
	}
}

func TestFileLinesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"file 644 1 - -", "want at least 6"},
		{"fifo 644 1 - - a", `unknown type "fifo"`},
		{"file 9 1 - - a", `mode "9"`},
		{"file 644 1 - x a", `flags "x"`},
		{"symlink 777 0 - - a", "without target"},
		{"file 644 1 - - a b", `trailing " b"`},
		{`file 644 1 - - "a`, "path:"},
		{"file 644 1 - - ", "path: empty field"},
	}
	for _, tt := range tests {
		_, err := parseFileLines([]byte(tt.in + "\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseFileLines(%q) = %v; want error containing %q", tt.in, err, tt.want)
		}
	}
	if _, err := parseFileLines([]byte("dir 755 0 - - a")); err == nil || !strings.Contains(err.Error(), "no newline") {
		t.Errorf("parseFileLines(no newline) = %v; want error", err)
	}
}

func FuzzFileLines(f *testing.F) {
	f.Add([]byte("file 644 3 - c a\nsymlink 777 0 - - \"a b\" x\n"))
	f.Add([]byte("dir 755 0 - - \"\\x00\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := parseFileLines(data)
		if err != nil {
			return
		}
		var enc []byte
		for _, fl := range files {
			enc = appendFileLine(enc, fl)
		}
		again, err := parseFileLines(enc)
		if err != nil || len(again) != len(files) {
			t.Fatalf("parse(encode(parse(%q))) = %v, %v", data, again, err)
		}
		for i := range files {
			if again[i] != files[i] {
				t.Fatalf("round trip of %q: %+v; want %+v", data, again[i], files[i])
			}
		}
	})
}
