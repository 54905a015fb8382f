package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestScenario(t *testing.T) {
	root := t.TempDir()
	steps := scenario(30)
	for i, st := range steps {
		runTx(t, root, st.plan(t, root))
		got := checkConsistent(t, root)
		if want := expectSet(steps[:i+1]); !slices.Equal(got, want) {
			t.Fatalf("after step %d: installed = %v; want %v", i, got, want)
		}
		if i == 1 {
			checkAfterUpgrade(t, root)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "var/cache/recipe/stage/e")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stage of e after commit: Stat = %v; want not exist", err)
	}
}

func checkAfterUpgrade(t *testing.T, root string) {
	db := openDB(t, root, Options{})
	tests := []struct {
		path string
		want []string
	}{
		{"opt/a/new", []string{"a"}},
		{"/opt/a/new", []string{"a"}},
		{"opt/a/f01", nil},
		{"opt/c/f01", nil},
		{"opt", []string{"a", "b", "d", "e"}},
	}
	for _, tt := range tests {
		got, err := db.Owner(tt.path)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Owner(%q) = %v, %v; want %v", tt.path, got, err, tt.want)
		}
	}
	for _, p := range []string{"opt/a/f01", "opt/c", "etc/c.conf"} {
		if _, err := os.Lstat(filepath.Join(root, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Lstat(%s) = %v; want not exist", p, err)
		}
	}
	if deps, err := db.Dependents("b"); err != nil || !slices.Equal(deps, []string{"a"}) {
		t.Errorf("Dependents(b) = %v, %v; want [a]", deps, err)
	}
	if m, err := db.Lookup("b"); err != nil || m.Reason != Dependency || m.Version != "1" {
		t.Errorf("Lookup(b) = %+v, %v; want version 1, reason dependency", m, err)
	}
	if _, err := db.Lookup("c"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Lookup(c) = %v; want ErrNotInstalled", err)
	}
	if r, err := db.Get("a"); err != nil || r.Version != "2" || r.InstalledAt.IsZero() || len(r.Files) != 33 {
		t.Errorf("Get(a) = %v (%d files); want version 2, install time, 33 files", err, len(r.Files))
	}
}

func TestConfigFiles(t *testing.T) {
	root := t.TempDir()
	runTx(t, root, step{install: []spec{genPkg("p", "1", 4)}}.plan(t, root))
	conf := filepath.Join(root, "etc/p.conf")
	if err := os.WriteFile(conf, []byte("edited\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := runTx(t, root, step{install: []spec{genPkg("p", "2", 4)}}.plan(t, root))
	if want := []string{"etc/p.conf.recipenew"}; !slices.Equal(res.New, want) {
		t.Errorf("upgrade: Result.New = %v; want %v", res.New, want)
	}
	assertContent(t, conf, "edited\n")
	assertContent(t, conf+".recipenew", "conf p 2\n")

	res = runTx(t, root, step{remove: []string{"p"}}.plan(t, root))
	if want := []string{"etc/p.conf.recipesave"}; !slices.Equal(res.Saved, want) {
		t.Errorf("remove: Result.Saved = %v; want %v", res.Saved, want)
	}
	assertContent(t, conf+".recipesave", "edited\n")
	if _, err := os.Lstat(conf); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Lstat(%s) after remove = %v; want not exist", conf, err)
	}
}

func assertContent(t *testing.T, hp, want string) {
	t.Helper()
	got, err := os.ReadFile(hp)
	if err != nil || string(got) != want {
		t.Errorf("ReadFile(%s) = %q, %v; want %q", hp, got, err, want)
	}
}

func TestBeginConflicts(t *testing.T) {
	base := genPkg("base", "1", 4)
	tests := []struct {
		name  string
		setup func(root string)
		plan  func(t *testing.T, root string) Plan
		want  []string // substrings of the error, all of them
	}{
		{
			name: "owned by an installed package",
			plan: func(t *testing.T, root string) Plan {
				s := genPkg("x", "1", 4)
				s.files = append(s.files, sfile{path: "opt/base/f01", typ: TypeFile, content: "x", mode: 0o644})
				return step{install: []spec{s}}.plan(t, root)
			},
			want: []string{`opt/base/f01: package "x" conflicts with installed package "base"`},
		},
		{
			name:  "unowned file in the root",
			setup: func(root string) { os.WriteFile(filepath.Join(root, "opt/stray"), nil, 0o644) },
			plan: func(t *testing.T, root string) Plan {
				s := genPkg("x", "1", 4)
				s.files = append(s.files, sfile{path: "opt/stray", typ: TypeFile, content: "x", mode: 0o644})
				return step{install: []spec{s}}.plan(t, root)
			},
			want: []string{"opt/stray: package \"x\": exists in the root and no package owns it"},
		},
		{
			name: "two packages, one path; remove unknown; install and remove",
			plan: func(t *testing.T, root string) Plan {
				p := step{install: []spec{genPkg("x", "1", 4), genPkg("y", "1", 4)}, remove: []string{"nope"}}.plan(t, root)
				p.Install[1].Record.Files = append(p.Install[1].Record.Files, p.Install[0].Record.Files[3])
				return p
			},
			want: []string{`opt/x/sub/g00: claimed by packages "x" and "y"`, `package "nope": cannot remove: not installed`},
		},
		{
			name: "type conflict and missing stage",
			plan: func(t *testing.T, root string) Plan {
				s := genPkg("x", "1", 4)
				os.MkdirAll(filepath.Join(root, "srv/data"), 0o755)
				s.files = append(s.files, sfile{path: "opt/base/sub/g00/deeper", typ: TypeDir, mode: 0o755},
					sfile{path: "srv/data", typ: TypeFile, content: "x", mode: 0o644})
				p := step{install: []spec{s}}.plan(t, root)
				os.Remove(filepath.Join(root, p.Install[0].Stage, "opt/x/f01"))
				return p
			},
			want: []string{`opt/base/sub/g00: parent of opt/base/sub/g00/deeper is a file`,
				`opt/x/f01: package "x": staged file`, `srv/data: package "x" wants a file, the root has a directory`},
		},
		{
			name: "invalid records",
			plan: func(t *testing.T, root string) Plan {
				p := step{install: []spec{genPkg("x", "1", 4)}}.plan(t, root)
				r := &p.Install[0].Record
				r.Reason = "because"
				p.Install[0].Stage = ""
				r.Files = append(r.Files, File{Path: "/etc/abs", Type: TypeDir}, File{Path: "a/../../b", Type: TypeDir},
					File{Path: "bin/x", Type: TypeFile, SHA256: "zz"}, File{Path: "var/lib/recipe/installed/y.rec", Type: TypeDir})
				return p
			},
			want: []string{`reason "because"`, `"/etc/abs" is not clean`, `"a/../../b" is not clean`,
				`"bin/x": sha256 "zz"`, `inside the database directory`, `regular files but no stage directory`},
		},
		{
			name: "install and remove one package",
			plan: func(t *testing.T, root string) Plan {
				return step{install: []spec{genPkg("base", "2", 4)}, remove: []string{"base"}}.plan(t, root)
			},
			want: []string{`package "base": both installed and removed`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			runTx(t, root, step{install: []spec{base}}.plan(t, root))
			if tt.setup != nil {
				tt.setup(root)
			}
			db := openDB(t, root, Options{})
			tx, err := db.Begin(context.Background(), tt.plan(t, root))
			if err == nil {
				tx.Close()
				t.Fatalf("Begin = nil; want errors %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Begin error = %v\nwant it to contain %q", err, w)
				}
			}
			if p, _ := db.Pending(); p {
				t.Errorf("Pending() after failed Begin = true; want false")
			}
			// The lock was released: another Begin gets past it.
			if tx, err := db.Begin(context.Background(), Plan{}); err != nil {
				t.Errorf("Begin(empty) after failed Begin = %v; want success", err)
			} else {
				tx.Close()
			}
		})
	}
}

func TestRollbackRestoresStage(t *testing.T) {
	root := t.TempDir()
	p := step{install: []spec{genPkg("x", "1", 8)}}.plan(t, root)
	db := openDB(t, root, Options{})
	tx, err := db.Begin(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Prepare(context.Background()); err != nil {
		t.Fatalf("Prepare = %v", err)
	}
	if err := tx.Close(); err != nil {
		t.Fatalf("Close (rollback) = %v", err)
	}
	if got := checkConsistent(t, root); len(got) != 0 {
		t.Errorf("installed after rollback = %v; want none", got)
	}
	if _, err := os.Lstat(filepath.Join(root, "opt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Lstat(opt) after rollback = %v; want not exist", err)
	}
	// The same plan, with the same stage, still commits.
	runTx(t, root, p)
	if got := checkConsistent(t, root); !slices.Equal(got, []string{"x@1"}) {
		t.Errorf("installed = %v; want [x@1]", got)
	}
}

func TestVerifyProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(root string) error
		want   Problem
	}{
		{"modified", func(r string) error { return os.WriteFile(filepath.Join(r, "opt/v/f01"), []byte("v 1 X\n"), 0o644) },
			Problem{Package: "v", Path: "opt/v/f01", Kind: Modified}},
		{"resized", func(r string) error { return os.WriteFile(filepath.Join(r, "opt/v/f01"), nil, 0o644) },
			Problem{Package: "v", Path: "opt/v/f01", Kind: Modified}},
		{"missing", func(r string) error { return os.Remove(filepath.Join(r, "opt/v/f01")) },
			Problem{Package: "v", Path: "opt/v/f01", Kind: Missing}},
		{"mode", func(r string) error { return os.Chmod(filepath.Join(r, "opt/v/f01"), 0o4755) },
			Problem{Package: "v", Path: "opt/v/f01", Kind: ModeChanged}},
		{"config", func(r string) error { return os.WriteFile(filepath.Join(r, "etc/v.conf"), []byte("mine\n"), 0o600) },
			Problem{Package: "v", Path: "etc/v.conf", Kind: Modified, Config: true}},
		{"target", func(r string) error {
			os.Remove(filepath.Join(r, "opt/v/link"))
			return os.Symlink("elsewhere", filepath.Join(r, "opt/v/link"))
		}, Problem{Package: "v", Path: "opt/v/link", Kind: TargetChanged}},
		{"type", func(r string) error {
			os.Remove(filepath.Join(r, "opt/v/f01"))
			return os.Mkdir(filepath.Join(r, "opt/v/f01"), 0o755)
		}, Problem{Package: "v", Path: "opt/v/f01", Kind: TypeChanged}},
		{"dir gone", func(r string) error { return os.RemoveAll(filepath.Join(r, "opt/v/sub")) },
			Problem{Package: "v", Path: "opt/v/sub", Kind: Missing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			runTx(t, root, step{install: []spec{genPkg("v", "1", 4)}}.plan(t, root))
			if err := tt.change(root); err != nil {
				t.Fatal(err)
			}
			db := openDB(t, root, Options{})
			probs, err := db.Verify("v")
			if err != nil || len(probs) == 0 {
				t.Fatalf("Verify(v) = %v, %v; want %v", probs, err, tt.want)
			}
			got := probs[0]
			got.Detail = ""
			if got != tt.want {
				t.Errorf("Verify(v)[0] = %+v; want %+v", probs[0], tt.want)
			}
		})
	}
}

func TestBeginFinishesInterruptedTransaction(t *testing.T) {
	root := t.TempDir()
	st := step{install: []spec{genPkg("x", "1", 6)}}
	db := openDB(t, root, Options{FailAt: func(s string) error {
		if s == "swap opt/x/f01" {
			return errCrash
		}
		return nil
	}})
	tx, err := db.Begin(context.Background(), st.plan(t, root))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(context.Background()); !errors.Is(err, errCrash) {
		t.Fatalf("Commit = %v; want the injected crash", err)
	}
	tx.Close()
	if p, _ := db.Pending(); !p {
		t.Fatalf("Pending() after a crash past the commit point = false; want true")
	}
	// The next writer, not an explicit Recover, finishes the job.
	runTx(t, root, step{install: []spec{genPkg("y", "1", 4)}}.plan(t, root))
	if got, want := checkConsistent(t, root), []string{"x@1", "y@1"}; !slices.Equal(got, want) {
		t.Errorf("installed = %v; want %v", got, want)
	}
}

func TestCanceledPrepareRollsBack(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	db := openDB(t, root, Options{FailAt: func(s string) error {
		if s == "stage opt/x/f04" {
			cancel()
		}
		return nil
	}})
	tx, err := db.Begin(ctx, step{install: []spec{genPkg("x", "1", 8)}}.plan(t, root))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit with a canceled context = %v; want context.Canceled", err)
	}
	if err := tx.Close(); err != nil {
		t.Errorf("Close = %v; want a clean rollback", err)
	}
	if got := checkConsistent(t, root); len(got) != 0 {
		t.Errorf("installed after cancel = %v; want none", got)
	}
	if _, err := os.Stat(filepath.Join(root, "var/cache/recipe/stage/x/opt/x/f04")); err != nil {
		t.Errorf("staged file after rollback: %v; want it back in the stage", err)
	}
}
