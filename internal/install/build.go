package install

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/levitateos/levitate/internal/archive"
	"github.com/levitateos/levitate/internal/fetch"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/run"
)

// workspace is the private directories of one package's build.
type workspace struct {
	buildDir string // BUILD_DIR, host path
	stage    string // DESTDIR, host path (under ROOT)
	stageRel string // the stage relative to ROOT, for the store
	workDir  string // where commands run: BUILD_DIR
	srcDir   string // SOURCE_DIR: the unpacked tree's single top directory, or BUILD_DIR

	// extracted holds the digests the extraction computed, by
	// build-relative path, while nothing else has written the build
	// directory (no patch, no build command); staged the digests known
	// of staged files, by stage-relative path. Both spare recordStage
	// reading the files back.
	extracted map[string]archive.Sum
	staged    map[string]archive.Sum
	// extractedBytes is the size of the files the extraction wrote.
	extractedBytes int64
	// flush, if set, writes extracted data to disk early (see flusher).
	flush *flusher
}

// newWorkspace makes fresh build and stage directories for pkg. The stage
// lives under ROOT so that the store can rename its files into place.
func newWorkspace(root string, r *recipe.Recipe) (*workspace, error) {
	base := filepath.Join(root, filepath.FromSlash(cacheRel))
	if err := os.MkdirAll(filepath.Join(base, "build"), 0o755); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(base, "stage"), 0o755); err != nil {
		return nil, err
	}
	b, err := os.MkdirTemp(filepath.Join(base, "build"), r.Name+"-")
	if err != nil {
		return nil, err
	}
	s, err := os.MkdirTemp(filepath.Join(base, "stage"), r.Name+"-")
	if err != nil {
		os.RemoveAll(b)
		return nil, err
	}
	rel, err := filepath.Rel(root, s)
	if err != nil {
		return nil, err
	}
	return &workspace{buildDir: b, stage: s, stageRel: filepath.ToSlash(rel), workDir: b, srcDir: b, staged: map[string]archive.Sum{}}, nil
}

// build runs the build section of pkg on the fetched source src (Path ""
// none) in ws.
func build(ctx context.Context, pkg *Package, src fetch.Result, ws *workspace, opts *Options) error {
	r := pkg.Recipe
	id := r.Name + " " + r.Version
	extracted := false
	for _, st := range r.Build {
		if st.Kind == recipe.BuildExtract {
			if extracted {
				return fmt.Errorf("%s: %s: a second (extract) step is not supported", st.Pos, id)
			}
			if src.Path == "" {
				return fmt.Errorf("%s: %s: (extract) without a source", st.Pos, id)
			}
			if err := extract(ctx, src, st, ws, opts, id); err != nil {
				return err
			}
			extracted = true
			if len(pkg.Recipe.Patches) > 0 {
				ws.extracted = nil
			}
			if err := applyPatches(ctx, pkg, ws, opts); err != nil {
				return err
			}
		}
	}
	if !extracted {
		if src.Path != "" {
			// Without (extract) the download itself is the input, as for
			// a single prebuilt binary.
			if err := checkCached(src); err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
			if err := copyFile(src.Path, filepath.Join(ws.buildDir, filepath.Base(src.Path)[len(r.Name+"-"+r.Version+"-"):])); err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
		}
		if err := applyPatches(ctx, pkg, ws, opts); err != nil {
			return err
		}
	}
	for _, st := range r.Build {
		script := st.Script()
		if script == "" {
			continue
		}
		ws.extracted = nil // the command may change what was extracted
		opts.emit(Event{Package: id, Step: string(st.Kind), Detail: script})
		err := run.Run(ctx, run.Cmd{
			Argv:   []string{"sh", "-c", script},
			Dir:    ws.workDir,
			Env:    buildEnv(ws),
			Stdout: opts.BuildOutput,
			Stderr: opts.BuildOutput,
		})
		if err != nil {
			return fmt.Errorf("%s: %s: build step (%s): %w", st.Pos, id, st.Kind, err)
		}
	}
	return nil
}

// buildEnv is the variables of docs/recipe-format.md, passed in the
// environment so that the shell expands them and no value is ever parsed
// as script text.
func buildEnv(ws *workspace) []string {
	return []string{
		"PREFIX=" + Prefix,
		"DESTDIR=" + ws.stage,
		"NPROC=" + strconv.Itoa(runtime.NumCPU()),
		"ARCH=" + archName(),
		"BUILD_DIR=" + ws.buildDir,
		"SOURCE_DIR=" + ws.srcDir,
	}
}

func extract(ctx context.Context, src fetch.Result, st recipe.BuildStep, ws *workspace, opts *Options, id string) error {
	format, err := archive.ParseFormat(st.Arg)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", st.Pos, id, err)
	}
	opts.emit(Event{Package: id, Step: "extract", Detail: filepath.Base(src.Path)})
	aopts := archive.Options{Sums: true}
	if ws.flush != nil {
		aopts.Progress = ws.flush.progress()
	}
	var stats archive.Stats
	if src.Unchecked && format != archive.Zip {
		stats, err = extractChecked(ctx, src, format, ws.buildDir, aopts)
	} else if err = checkCached(src); err == nil {
		stats, err = archive.Extract(ctx, src.Path, format, ws.buildDir, aopts)
	}
	if err != nil {
		return fmt.Errorf("%s: %s: %w", st.Pos, id, err)
	}
	ws.extracted, ws.extractedBytes = stats.Sums, stats.Bytes
	// A source tarball's single top directory (foo-1.0/) is where its
	// ./configure and Makefile are: the structured steps and patches run
	// there (SOURCE_DIR); run steps stay in BUILD_DIR, as the original
	// recipes expect (`cd foo-1.0 && ...`).
	ents, err := os.ReadDir(ws.buildDir)
	if err != nil {
		return err
	}
	if len(ents) == 1 && ents[0].IsDir() {
		ws.srcDir = filepath.Join(ws.buildDir, ents[0].Name())
	}
	return nil
}

func applyPatches(ctx context.Context, pkg *Package, ws *workspace, opts *Options) error {
	dir := pkg.Dir
	if dir == "" {
		dir = filepath.Dir(pkg.Recipe.File)
	}
	for _, p := range pkg.Recipe.Patches {
		abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(p.Path)))
		if err != nil {
			return err
		}
		err = run.Run(ctx, run.Cmd{
			Argv: []string{"patch", "-p1", "--batch", "-i", abs}, Dir: ws.srcDir,
			Stdout: opts.BuildOutput, Stderr: opts.BuildOutput,
		})
		if err != nil {
			return fmt.Errorf("%s: %s: patch %s: %w", p.Pos, pkg.Recipe.Name, p.Path, err)
		}
	}
	return nil
}

// extractChecked extracts a cached source that the fetcher returned
// unhashed, hashing the very bytes the extraction reads: one pass over the
// file, and no window between a check and the read. A mismatch fails with
// errStaleCache, whatever the extraction made of the bytes; the caller
// throws the build directory away.
func extractChecked(ctx context.Context, src fetch.Result, format archive.Format, dst string, aopts archive.Options) (archive.Stats, error) {
	f, err := os.Open(src.Path)
	if err != nil {
		return archive.Stats{}, err
	}
	defer f.Close()
	h := sha256.New()
	stats, err := archive.ExtractReader(ctx, src.Path, io.TeeReader(f, h), format, dst, aopts)
	// The bytes after the archive's end (padding) count as well.
	if _, cerr := io.Copy(h, f); cerr != nil {
		return stats, errors.Join(err, cerr)
	}
	if serr := fetch.CheckSum(src, hex.EncodeToString(h.Sum(nil))); serr != nil {
		return stats, fmt.Errorf("%w: %w", errStaleCache, serr)
	}
	return stats, err
}

// checkCached verifies a cached source the fetcher returned unhashed.
func checkCached(src fetch.Result) error {
	if !src.Unchecked {
		return nil
	}
	if err := fetch.Check(src); err != nil {
		return fmt.Errorf("%w: %w", errStaleCache, err)
	}
	return nil
}

// copyFile copies src to a new file dst. Never a hard link: the cached
// download must not change when the build changes its copy.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// remove deletes the build directory and, unless the store owns it, the
// stage.
func (ws *workspace) remove(keepStage bool) error {
	err := os.RemoveAll(ws.buildDir)
	if !keepStage {
		err = errors.Join(err, os.RemoveAll(ws.stage))
	}
	return err
}
