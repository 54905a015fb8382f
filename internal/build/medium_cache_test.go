package build

import (
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/repo"
)

// repoInputs are what the repo stage reads.
type repoInputs struct {
	recipe  string // the recipe binary's content
	version string // of the package beta
	epoch   int64
}

// repoStage runs the repo stage on in, in a fresh work directory, with
// cacheDir ("" for none), and returns the builder after it.
func repoStage(t *testing.T, cacheDir string, in repoInputs) *builder {
	t.Helper()
	o := Options{Work: t.TempDir(), CacheDir: cacheDir, Epoch: in.epoch}
	dir := o.path(rpmsDir)
	c := &closure.Closure{}
	var files []string
	for _, p := range []struct{ name, version string }{{"alpha", "1.0"}, {"beta", in.version}} {
		pkg := tinyPkg(p.name, 0, p.version, "/usr/bin/"+p.name)
		touch(t, filepath.Join(dir, pkg.FileName()))
		f, err := os.Create(filepath.Join(dir, pkg.FileName()))
		if err != nil {
			t.Fatal(err)
		}
		if err := pkg.Write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		sum, err := fileSHA256(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f.Name())
		c.Entries = append(c.Entries, closure.Entry{Pkg: &repo.Package{NEVRA: pkg.NEVRA, Checksum: repo.Checksum{Type: "sha256", Value: sum}}})
	}
	bin := o.path(rootDir, RecipeBin)
	touch(t, bin)
	if err := os.WriteFile(bin, []byte(in.recipe), 0o755); err != nil {
		t.Fatal(err)
	}
	b := &builder{opts: o, closure: c, rpms: files, log: io.Discard, repos: newStageCache(cacheDir, "repo")}
	if err := b.mediumRepo(t.Context()); err != nil {
		t.Fatalf("repo stage: %v", err)
	}
	if err := b.repos.check(b.repoCacheKey); err != nil {
		t.Errorf("repo stage changed its cache entry: %v", err)
	}
	return b
}

// repoTree returns every entry under the work directory's repository
// and the root's recipe.conf: path, mode and content.
func repoTree(t *testing.T, b *builder) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, top := range []string{b.opts.path(treeDir, MediumRepo), b.opts.path(rootDir, RecipeConf)} {
		err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(b.opts.Work, p)
			m[rel] = fi.Mode().String()
			if fi.Mode().IsRegular() {
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				m[rel] += " " + sha(data)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// TestRepoCache wants the repository from the cache to be the one an
// uncached build makes of the same inputs, and any change of the inputs
// to miss the cache.
func TestRepoCache(t *testing.T) {
	base := repoInputs{recipe: "recipe v1", version: "1.0", epoch: 1700000000}
	cache := t.TempDir()
	want := repoTree(t, repoStage(t, "", base))
	if cold := repoStage(t, cache, base); cold.cached {
		t.Fatal("repo stage with an empty cache: cached = true; want false")
	}
	warm := repoStage(t, cache, base)
	if !warm.cached {
		t.Fatal("repo stage with the same inputs: cached = false; want true")
	}
	if got := repoTree(t, warm); !maps.Equal(got, want) {
		t.Errorf("repository from the cache = %v; want %v (uncached)", got, want)
	}
	if want, _ := treeSize(warm.opts.path(treeDir, MediumRepo, "Packages")); warm.size != want || want == 0 {
		t.Errorf("repo stage size from the cache = %d; want %d", warm.size, want)
	}

	for _, tt := range []struct {
		name string
		in   repoInputs
	}{
		{"recipe binary", repoInputs{recipe: "recipe v2", version: "1.0", epoch: base.epoch}},
		{"package", repoInputs{recipe: base.recipe, version: "1.1", epoch: base.epoch}},
		{"epoch", repoInputs{recipe: base.recipe, version: "1.0", epoch: base.epoch + 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := repoStage(t, cache, tt.in)
			if got.cached {
				t.Fatalf("repo stage after a change of the %s: cached = true; want false", tt.name)
			}
			if tree := repoTree(t, got); maps.Equal(tree, want) {
				t.Errorf("repository after a change of the %s is the old one", tt.name)
			}
			if again := repoStage(t, cache, tt.in); !again.cached || !maps.Equal(repoTree(t, again), repoTree(t, got)) {
				t.Errorf("second build after a change of the %s: cached = %v or a different tree; want the first's, cached", tt.name, again.cached)
			}
		})
	}

	// The cache keeps two entries: base was pruned by now. Build it
	// twice, then change a cached file's mode: the entry must go.
	repoStage(t, cache, base)
	b := repoStage(t, cache, base)
	if !b.cached {
		t.Fatal("repo stage of base, rebuilt: cached = false; want true")
	}
	data, _ := b.repos.entry(b.repoCacheKey)
	if err := os.Chmod(filepath.Join(data, "repodata", "repomd.xml"), 0o600); err != nil {
		t.Fatal(err)
	}
	if again := repoStage(t, cache, base); again.cached {
		t.Error("repo stage with a changed cache entry: cached = true; want the entry dropped")
	} else if got := repoTree(t, again); !maps.Equal(got, want) {
		t.Errorf("repository after a dropped entry = %v; want %v", got, want)
	}
	if n := len(mustReadDir(t, filepath.Join(cache, cacheStages, "repo"))); n > keepCached {
		t.Errorf("repo cache holds %d entries; want at most %d", n, keepCached)
	}
}

func mustReadDir(t *testing.T, dir string) []fs.DirEntry {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ents
}
