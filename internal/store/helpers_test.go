package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sfile is one file of a test package.
type sfile struct {
	path    string
	typ     FileType
	content string
	target  string
	mode    uint32
	config  bool
}

// spec is a test package.
type spec struct {
	name, version string
	reason        Reason
	depends       []string
	files         []sfile
}

// genPkg makes a package with n regular files (contents depend on
// version), a directory, a symlink and a config file.
func genPkg(name, version string, n int) spec {
	s := spec{name: name, version: version, reason: Explicit}
	dir := "opt/" + name
	s.files = append(s.files, sfile{path: "opt", typ: TypeDir, mode: 0o755},
		sfile{path: dir, typ: TypeDir, mode: 0o755},
		sfile{path: dir + "/sub", typ: TypeDir, mode: 0o750})
	for i := range n - 2 {
		p := fmt.Sprintf("%s/f%02d", dir, i)
		if i%3 == 0 {
			p = fmt.Sprintf("%s/sub/g%02d", dir, i)
		}
		s.files = append(s.files, sfile{path: p, typ: TypeFile, content: fmt.Sprintf("%s %s %d\n", name, version, i), mode: 0o644})
	}
	s.files = append(s.files,
		sfile{path: dir + "/link", typ: TypeSymlink, target: "sub/g00"},
		sfile{path: "etc/" + name + ".conf", typ: TypeFile, content: "conf " + name + " " + version + "\n", mode: 0o600, config: true})
	return s
}

// stage writes the staged files of s under root and returns the Install.
func (s spec) stage(t testing.TB, root string) Install {
	t.Helper()
	stage := "var/cache/recipe/stage/" + s.name
	rec := Record{Meta: Meta{Name: s.name, Version: s.version, Reason: s.reason, Depends: s.depends}}
	if rec.Reason == "" {
		rec.Reason = Explicit
	}
	for _, f := range s.files {
		rf := File{Path: f.path, Type: f.typ, Mode: f.mode, Target: f.target, Config: f.config}
		if f.typ == TypeFile {
			hp := filepath.Join(root, stage, f.path)
			if err := os.MkdirAll(filepath.Dir(hp), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(hp, []byte(f.content), 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256([]byte(f.content))
			rf.SHA256, rf.Size = hex.EncodeToString(sum[:]), int64(len(f.content))
		}
		rec.Files = append(rec.Files, rf)
	}
	return Install{Record: rec, Stage: stage}
}

// step is one transaction of a test scenario.
type step struct {
	install []spec
	remove  []string
}

func (st step) plan(t testing.TB, root string) Plan {
	t.Helper()
	p := Plan{Remove: st.remove}
	for _, s := range st.install {
		p.Install = append(p.Install, s.stage(t, root))
	}
	return p
}

// runTx runs one plan to the end without faults.
func runTx(t testing.TB, root string, p Plan) Result {
	t.Helper()
	db := openDB(t, root, Options{})
	tx, err := db.Begin(context.Background(), p)
	if err != nil {
		t.Fatalf("Begin = %v; want success", err)
	}
	defer tx.Close()
	res, err := tx.Commit(context.Background())
	if err != nil {
		t.Fatalf("Commit = %v; want success", err)
	}
	return res
}

func openDB(t testing.TB, root string, opts Options) *DB {
	t.Helper()
	db, err := Open(root, opts)
	if err != nil {
		t.Fatalf("Open(%s) = %v", root, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// installedSet is "name@version" of every record, sorted.
func installedSet(t testing.TB, db *DB) []string {
	t.Helper()
	metas, err := db.List()
	if err != nil {
		t.Fatalf("List = %v", err)
	}
	var s []string
	for _, m := range metas {
		s = append(s, m.Name+"@"+m.Version)
	}
	return s
}

// checkConsistent asserts that the root and the database agree: no
// journal, every package verifies clean, no temp files anywhere, and every
// file or symlink in the root outside the database and the stages is owned
// by a recorded package. It returns the installed set.
func checkConsistent(t testing.TB, root string) []string {
	t.Helper()
	db := openDB(t, root, Options{})
	if p, err := db.Pending(); err != nil || p {
		t.Fatalf("Pending() = %v, %v; want false", p, err)
	}
	recs, err := db.Records()
	if err != nil {
		t.Fatalf("Records() = %v; want no error", err)
	}
	owned := make(map[string]bool)
	for _, r := range recs {
		probs, err := db.Verify(r.Name)
		if err != nil || len(probs) != 0 {
			t.Errorf("Verify(%s) = %v, %v; want clean", r.Name, probs, err)
		}
		for _, f := range r.Files {
			owned[f.Path] = true
		}
	}
	err = filepath.WalkDir(root, func(hp string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, hp)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), tempPrefix) {
			t.Errorf("stray temp file %s", rel)
		}
		if rel == "var/cache/recipe/stage" && d.IsDir() {
			return fs.SkipDir
		}
		if !d.IsDir() && !owned[rel] && !strings.HasPrefix(rel, dbDir+"/") {
			t.Errorf("%s is in the root but no recorded package owns it", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return installedSet(t, db)
}

// expectSet computes the installed set after some steps.
func expectSet(steps []step) []string {
	m := map[string]string{}
	for _, st := range steps {
		for _, n := range st.remove {
			delete(m, n)
		}
		for _, s := range st.install {
			m[s.name] = s.version
		}
	}
	var out []string
	for n, v := range m {
		out = append(out, n+"@"+v)
	}
	slices.Sort(out)
	return out
}

// scenario is the sequence of transactions the crash tests interrupt:
// fresh installs, an upgrade with removed and changed files, a removal,
// and a reinstall.
func scenario(files int) []step {
	a2 := genPkg("a", "2", files)
	a2.files = slices.DeleteFunc(a2.files, func(f sfile) bool { return strings.HasSuffix(f.path, "f01") })
	a2.files = append(a2.files, sfile{path: "opt/a/new", typ: TypeFile, content: "new\n", mode: 0o755})
	a2.depends = []string{"b"}
	b := genPkg("b", "1", files)
	b.reason = Dependency
	a := genPkg("a", "1", files)
	a.depends = []string{"b"}
	return []step{
		{install: []spec{a, b, genPkg("c", "1", files), genPkg("d", "1", files)}},
		{install: []spec{a2, genPkg("e", "1", files)}, remove: []string{"c"}},
		{install: []spec{genPkg("e", "1", files)}, remove: []string{"b", "d"}},
	}
}
