package build

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/source"
)

// StageResult is the time and output size of one finished stage.
type StageResult struct {
	Name     string
	Duration time.Duration
	Size     int64 // bytes of the stage's main output; 0 when none
	// Compress is the part of Duration spent compressing (the initramfs
	// compressor, mksquashfs), made of Spans.
	Compress time.Duration
	Spans    []Span
	Cached   bool // the product came from the stage cache
}

// Span is an interval of time.
type Span struct{ Start, End time.Time }

// Result is a finished build.
type Result struct {
	ISO    string // absolute path; empty when the plan stopped earlier
	Stages []StageResult
	Total  time.Duration
}

// builder carries the artifacts one stage hands to the next.
type builder struct {
	opts    Options
	log     io.Writer // the current stage's log file
	src     source.Source
	closure *closure.Closure
	rpms    []string // fetched package files, in closure order
	kver    string
	size    int64 // main output size of the current stage
	// spans are when the current stage compressed.
	spans  []Span
	cached bool // the current stage took its product from the cache
	// roots, initrds, repos and boots are the stage caches (nil without
	// CacheDir); rootCacheKey, repoCacheKey and bootCacheKey name the
	// root, the medium's package repository and the boot tree the build
	// uses.
	roots, initrds, repos, boots             *stageCache
	rootCacheKey, repoCacheKey, bootCacheKey string
	dbPath                                   string // the root's rpm database, see RPMDBPath
}

// Execute runs the plan. The work directory's build subdirectories are
// removed first so every build starts clean.
func (p *Plan) Execute(ctx context.Context) (*Result, error) {
	o := p.Opts
	for _, d := range []string{logsDir, rpmsDir, rootDir, treeDir, bootWork} {
		if err := os.RemoveAll(o.path(d)); err != nil {
			return nil, fmt.Errorf("build: clean work directory: %w", err)
		}
	}
	if err := os.MkdirAll(o.path(logsDir), 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	b := &builder{opts: o, roots: newStageCache(o.CacheDir, "rootfs"), initrds: newStageCache(o.CacheDir, "initramfs"),
		repos: newStageCache(o.CacheDir, "repo"), boots: newStageCache(o.CacheDir, "boot")}
	defer func() {
		if b.src != nil {
			b.src.Close()
		}
		// The work root, the ISO tree's repository and its boot files
		// share their files with the cache: make sure no stage wrote
		// into them.
		for _, c := range []struct {
			cache *stageCache
			key   string
		}{{b.roots, b.rootCacheKey}, {b.repos, b.repoCacheKey}, {b.boots, b.bootCacheKey}} {
			if err := c.cache.check(c.key); err != nil {
				fmt.Fprintf(o.Console, "warning: %v\n", err)
			}
		}
	}()
	res := &Result{}
	start := time.Now()
	for i := 0; i < len(p.Stages); {
		n := 1
		for i+n < len(p.Stages) && p.Stages[i+n].Beside {
			n++
		}
		group := p.Stages[i : i+n]
		rs, errs := b.runGroup(ctx, group)
		for j, st := range group {
			r := rs[j]
			res.Stages = append(res.Stages, r)
			line := fmt.Sprintf("[%d/%d] %-10s %7.1fs", i+j+1, len(p.Stages), st.Name, r.Duration.Seconds())
			if r.Size > 0 {
				line += "  " + humanSize(r.Size)
			}
			if r.Cached {
				line += "  (cached)"
			}
			if j > 0 {
				line += "  (beside " + group[0].Name + ")"
			}
			if errs[j] != nil {
				fmt.Fprintf(o.Console, "%s  FAILED (log: %s)\n", line, b.logPath(st.Name))
			} else {
				fmt.Fprintln(o.Console, line)
			}
			if st.Name == StageOutputs {
				res.ISO = o.Out
			}
		}
		for j, err := range errs {
			if err != nil {
				return res, fmt.Errorf("build: %s: %w", group[j].Name, err)
			}
		}
		i += n
	}
	res.Total = time.Since(start)
	if res.ISO != "" {
		if err := writeReport(o, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (b *builder) logPath(stage string) string {
	return b.opts.path(logsDir, stage+".log")
}

// runGroup runs stages at the same time: the first on b, each other on
// its own copy of b, so that every stage has its own log, size, spans
// and cache flag (the stages of a group read, but do not set, the rest
// of the builder). The first failure cancels the others.
func (b *builder) runGroup(ctx context.Context, group []Stage) ([]StageResult, []error) {
	rs, errs := make([]StageResult, len(group)), make([]error, len(group))
	if len(group) == 1 {
		rs[0], errs[0] = b.runStage(ctx, group[0])
		return rs, errs
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Copy before any stage starts: the first one changes b.
	bs := []*builder{b}
	for range group[1:] {
		c := *b
		bs = append(bs, &c)
	}
	var wg sync.WaitGroup
	for j, st := range group {
		sb := bs[j]
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs[j], errs[j] = sb.runStage(ctx, st)
			if errs[j] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	return rs, errs
}

func (b *builder) runStage(ctx context.Context, st Stage) (StageResult, error) {
	r := StageResult{Name: st.Name}
	f, err := os.Create(b.logPath(st.Name))
	if err != nil {
		return r, err
	}
	defer f.Close()
	b.log, b.size, b.spans, b.cached = f, 0, nil, false
	start := time.Now()
	err = st.run(b, ctx)
	r.Duration, r.Size, r.Spans, r.Cached = time.Since(start), b.size, b.spans, b.cached
	for _, sp := range r.Spans {
		r.Compress += sp.End.Sub(sp.Start)
	}
	if err != nil {
		fmt.Fprintf(f, "error: %v\n", err)
	}
	return r, err
}

// compressing records that the current stage compressed from start
// until now.
func (b *builder) compressing(start time.Time) {
	b.spans = append(b.spans, Span{Start: start, End: time.Now()})
}

// cmd returns a run.Cmd whose output goes to the stage log.
func (b *builder) cmd(argv ...string) run.Cmd {
	fmt.Fprintf(b.log, "$ %s\n", run.Quote(argv))
	return run.Cmd{Argv: argv, Stdout: b.log, Stderr: b.log}
}

func (b *builder) run(ctx context.Context, argv ...string) error {
	return run.Run(ctx, b.cmd(argv...))
}

// treeSize adds up the sizes of the regular files under dir.
func treeSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// writeAtomic writes data to path through a temporary file in the same
// directory, renamed into place.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, mode)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}
