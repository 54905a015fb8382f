package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// place writes the files of s at their final paths under root, as another
// tool would, and returns the record describing them.
func (s spec) place(t testing.TB, root string) Record {
	t.Helper()
	rec := Record{Meta: Meta{Name: s.name, Version: s.version, Reason: s.reason, Depends: s.depends}}
	if rec.Reason == "" {
		rec.Reason = Explicit
	}
	for _, f := range s.files {
		hp := filepath.Join(root, f.path)
		if err := os.MkdirAll(filepath.Dir(hp), 0o755); err != nil {
			t.Fatal(err)
		}
		rf := File{Path: f.path, Type: f.typ, Mode: f.mode, Target: f.target, Config: f.config}
		var err error
		switch f.typ {
		case TypeDir:
			if err = os.MkdirAll(hp, 0o755); err == nil {
				err = os.Chmod(hp, FileMode(f.mode))
			}
		case TypeSymlink:
			rf.Mode = 0o777
			err = os.Symlink(f.target, hp)
		case TypeFile:
			if err = os.WriteFile(hp, []byte(f.content), 0o600); err == nil {
				err = os.Chmod(hp, FileMode(f.mode))
			}
			sum := sha256.Sum256([]byte(f.content))
			rf.SHA256, rf.Size = hex.EncodeToString(sum[:]), int64(len(f.content))
		}
		if err != nil {
			t.Fatal(err)
		}
		rec.Files = append(rec.Files, rf)
	}
	return rec
}

func TestAdopt(t *testing.T) {
	ctx := context.Background()
	root := prepareRoot(t, scenario(6)[:1])
	recs := []Record{genPkg("x", "1", 6).place(t, root), genPkg("y", "2", 4).place(t, root)}
	db := openDB(t, root, Options{})
	if err := db.Adopt(ctx, recs); err != nil {
		t.Fatalf("Adopt = %v; want nil", err)
	}
	if got, want := checkConsistent(t, root), []string{"a@1", "b@1", "c@1", "d@1", "x@1", "y@2"}; !slices.Equal(got, want) {
		t.Errorf("installed = %v; want %v", got, want)
	}
	if got, err := db.Owner("/opt/x/link"); err != nil || !slices.Equal(got, []string{"x"}) {
		t.Errorf("Owner(/opt/x/link) = %v, %v; want [x]", got, err)
	}
	if m, err := db.Lookup("y"); err != nil || m.InstalledAt.IsZero() {
		t.Errorf("Lookup(y) = %+v, %v; want a record with an install time", m, err)
	}
	// An adopted package is an ordinary one: a transaction removes it.
	runTx(t, root, Plan{Remove: []string{"x"}})
	if _, err := os.Lstat(filepath.Join(root, "opt/x/f01")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opt/x/f01 after removing x: Lstat = %v; want not exist", err)
	}
	if got, want := checkConsistent(t, root), []string{"a@1", "b@1", "c@1", "d@1", "y@2"}; !slices.Equal(got, want) {
		t.Errorf("installed after removal = %v; want %v", got, want)
	}
}

func TestAdoptRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(t *testing.T, root string, recs []Record) []Record
		wants []string
	}{
		{"missing", func(t *testing.T, root string, recs []Record) []Record {
			rm(t, root, "opt/x/f01")
			return recs
		}, []string{`opt/x/f01: package "x": not in the root`}},
		{"size", func(t *testing.T, root string, recs []Record) []Record {
			write(t, root, "opt/x/f01", "longer than it was\n")
			return recs
		}, []string{`opt/x/f01: package "x": the record has 6 bytes, the root 19`}},
		{"file is a symlink", func(t *testing.T, root string, recs []Record) []Record {
			rm(t, root, "opt/x/f01")
			if err := os.Symlink("sub/g00", filepath.Join(root, "opt/x/f01")); err != nil {
				t.Fatal(err)
			}
			return recs
		}, []string{`opt/x/f01: package "x": the record has a file, the root a symlink`}},
		{"dir is a file", func(t *testing.T, root string, recs []Record) []Record {
			recs[0].Files = append(recs[0].Files, File{Path: "opt/x/f01", Type: TypeDir, Mode: 0o755})
			recs[0].Files = slices.DeleteFunc(recs[0].Files, func(f File) bool { return f.Path == "opt/x/f01" && f.Type == TypeFile })
			return recs
		}, []string{`opt/x/f01: package "x": the record has a dir, the root a file`}},
		{"owned by installed", func(t *testing.T, root string, recs []Record) []Record {
			recs[0].Files = append(recs[0].Files, File{Path: "etc/a.conf", Type: TypeFile, Mode: 0o600, Size: 11, SHA256: strings.Repeat("0", 64)})
			return recs
		}, []string{`etc/a.conf: package "x" conflicts with package "a"`}},
		{"claimed twice", func(t *testing.T, root string, recs []Record) []Record {
			dup := recs[0]
			dup.Name = "x2"
			return append(recs, dup)
		}, []string{`etc/x.conf: package "x2" conflicts with package "x"`, `opt/x/link: package "x2" conflicts with package "x"`}},
		{"already installed", func(t *testing.T, root string, recs []Record) []Record {
			recs[0].Name = "a"
			return recs[:1]
		}, []string{`package "a": already installed`}},
		{"bad sha256", func(t *testing.T, root string, recs []Record) []Record {
			recs[0].Files[3].SHA256 = "nope"
			return recs
		}, []string{`sha256 "nope" is not 64 hex digits`}},
		{"all at once", func(t *testing.T, root string, recs []Record) []Record {
			rm(t, root, "opt/x/f01")
			write(t, root, "opt/x/f02", "longer than it was\n")
			return recs
		}, []string{`opt/x/f01: package "x": not in the root`, `opt/x/f02: package "x": the record has 6 bytes, the root 19`}},
	}
	template := prepareRoot(t, scenario(6)[:1])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := copyRoot(t, template)
			recs := tt.edit(t, root, []Record{genPkg("x", "1", 6).place(t, root)})
			err := openDB(t, root, Options{}).Adopt(context.Background(), recs)
			for _, w := range tt.wants {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Adopt = %v; want an error containing %q", err, w)
				}
			}
			db := openDB(t, root, Options{})
			if p, perr := db.Pending(); perr != nil || p {
				t.Errorf("Pending() after a refused Adopt = %v, %v; want false", p, perr)
			}
			if got, want := installedSet(t, db), []string{"a@1", "b@1", "c@1", "d@1"}; !slices.Equal(got, want) {
				t.Errorf("installed after a refused Adopt = %v; want %v", got, want)
			}
		})
	}
}

// TestAdoptCorruptDatabase: without trustworthy records the conflict check
// cannot be made, so Adopt refuses.
func TestAdoptCorruptDatabase(t *testing.T) {
	root := prepareRoot(t, scenario(6)[:1])
	hp := filepath.Join(root, recordPath("c"))
	data, err := os.ReadFile(hp)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-2] ^= 1
	if err := os.WriteFile(hp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rec := genPkg("x", "1", 6).place(t, root)
	err = openDB(t, root, Options{}).Adopt(context.Background(), []Record{rec})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), hp) {
		t.Errorf("Adopt over a corrupt record = %v; want a corrupt-record error naming %s", err, hp)
	}
	if _, err := openDB(t, root, Options{}).Lookup("x"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Lookup(x) after a refused Adopt = %v; want not installed", err)
	}
}

// adoptSteps runs Adopt of recs on root without faults and returns its steps.
func adoptSteps(t *testing.T, root string, recs []Record) []string {
	t.Helper()
	var seen []string
	if err := openDB(t, root, Options{NoSync: true, FailAt: failAt(-1, &seen)}).Adopt(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	return seen
}

func TestAdoptStepNames(t *testing.T) {
	root := prepareRoot(t, nil)
	recs := []Record{genPkg("x", "1", 4).place(t, root), genPkg("y", "1", 4).place(t, root)}
	got := strings.Join(adoptSteps(t, root, recs), " | ")
	if want := "journal | sync | commit | record x | record y | sync-end | end"; got != want {
		t.Errorf("steps = %s; want %s", got, want)
	}
}

// TestAdoptCrashAtEveryStep stops Adopt at each of its steps, interrupts
// the recovery too, and checks that the packages are recorded entirely or
// not at all, that the root is untouched either way, and that Adopt run
// again finishes the job.
func TestAdoptCrashAtEveryStep(t *testing.T) {
	ctx := context.Background()
	prefix := scenario(6)[:1]
	template := prepareRoot(t, prefix)
	specs := []spec{genPkg("x", "1", 6), genPkg("y", "1", 6)}
	before := expectSet(prefix)
	after := expectSet(append(slices.Clone(prefix), step{install: specs}))
	placed := func(t *testing.T, root string) []Record {
		var recs []Record
		for _, s := range specs {
			recs = append(recs, s.place(t, root))
		}
		return recs
	}
	first := copyRoot(t, template)
	names := adoptSteps(t, first, placed(t, first))
	for k, name := range names {
		for r := range 3 {
			t.Run(fmt.Sprintf("%02d/%s/recover-crash-%d", k, name, r), func(t *testing.T) {
				root := copyRoot(t, template)
				recs := placed(t, root)
				err := openDB(t, root, Options{NoSync: true, FailAt: failAt(k, nil)}).Adopt(ctx, recs)
				if !errors.Is(err, errCrash) {
					t.Fatalf("Adopt = %v; want the injected crash at step %d", err, k)
				}
				rec, err := openDB(t, root, Options{NoSync: true, FailAt: failAt(r, nil)}).Recover(ctx)
				if err != nil {
					if !errors.Is(err, errCrash) {
						t.Fatalf("interrupted Recover = %v; want the injected crash", err)
					}
					if rec, err = openDB(t, root, Options{NoSync: true}).Recover(ctx); err != nil {
						t.Fatalf("Recover = %v", err)
					}
				}
				if wantDone := k > slices.Index(names, "commit"); rec.Completed != wantDone {
					t.Errorf("Recover = %+v; want Completed %v", rec, wantDone)
				}
				if rec.Completed {
					if got := checkConsistent(t, root); !slices.Equal(got, after) {
						t.Fatalf("after recovery: installed = %v; want %v", got, after)
					}
					return
				}
				db := openDB(t, root, Options{NoSync: true})
				if p, err := db.Pending(); err != nil || p {
					t.Fatalf("Pending() after roll back = %v, %v; want false", p, err)
				}
				if got := installedSet(t, db); !slices.Equal(got, before) {
					t.Fatalf("after roll back: installed = %v; want %v", got, before)
				}
				if err := db.Adopt(ctx, recs); err != nil {
					t.Fatalf("Adopt again = %v", err)
				}
				if got := checkConsistent(t, root); !slices.Equal(got, after) {
					t.Fatalf("after rerun: installed = %v; want %v", got, after)
				}
			})
		}
	}
}

func rm(t *testing.T, root, rel string) {
	t.Helper()
	if err := os.Remove(filepath.Join(root, rel)); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, rel), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkAdopt records 8 packages of 1,500 files already in place, the
// size of a bootstrap's base set, without syncs as bootstrap runs it.
func BenchmarkAdopt(b *testing.B) {
	root := b.TempDir()
	var recs []Record
	for i := range 8 {
		recs = append(recs, genPkg(fmt.Sprintf("p%d", i), "1", 1500).place(b, root))
	}
	installed := filepath.Join(root, dbDir, installedDir)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(installed); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		db, err := Open(root, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Adopt(ctx, recs); err != nil {
			b.Fatalf("Adopt = %v", err)
		}
		db.Close()
	}
}

// TestCheckInPlaceManyDirs: the directories are checked concurrently;
// every problem in every one of them is reported, each once.
func TestCheckInPlaceManyDirs(t *testing.T) {
	root := t.TempDir()
	var files []owned
	var want []string
	for d := range 60 {
		dir := fmt.Sprintf("usr/lib/m%02d", d)
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range 3 {
			rel := fmt.Sprintf("%s/f%d", dir, f)
			if (d+f)%4 != 0 {
				if err := os.WriteFile(filepath.Join(root, rel), []byte("abc"), 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				want = append(want, rel+`: package "p": not in the root`)
			}
			files = append(files, owned{"p", File{Path: rel, Type: TypeFile, Mode: 0o644, Size: 3}})
		}
	}
	files = append(files, owned{"p", File{Path: "no/such/dir/f", Type: TypeFile, Size: 1}})
	want = append(want, `no/such/dir/f: package "p": `)
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	errs := checkInPlace(r, files)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(got) != len(want) {
		t.Fatalf("checkInPlace = %d errors; want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("checkInPlace error %d = %q; want %q", i, got[i], want[i])
		}
	}
}
