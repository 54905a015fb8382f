package build

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/source"
)

func fetchStage(o Options) Stage {
	st := Stage{
		Name:    StageFetch,
		Doc:     "copy or download every package of the closure from its source, checking size and checksum",
		Inputs:  sourceIDs(o.Sources),
		Outputs: []string{o.path(rpmsDir)},
		run:     (*builder).fetch,
	}
	if o.Settings.VerifySignatures && len(keyedSources(o)) > 0 {
		st.Doc += "; check each keyed source's packages against that key alone (rpm -K)"
		st.Tools = []string{"rpm"}
	}
	return st
}

// keyedSources returns the IDs of the sources that name their own key.
func keyedSources(o Options) []string {
	var ids []string
	for _, s := range Specs(o.Sources) {
		if s.Key != "" {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// fetchWorkers bounds parallel package fetches: enough to hide a
// mirror's latency, few enough to be polite to it.
const fetchWorkers = 4

func (b *builder) fetch(ctx context.Context) error {
	dir := b.opts.path(rpmsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	set, ok := b.src.(*source.Set)
	if !ok {
		return errors.New("fetch: the resolve stage opened no source set")
	}
	files, err := b.fetchAll(ctx, set, dir)
	if err != nil {
		return err
	}
	b.rpms = files
	bySource := map[string][]string{}
	for i, e := range b.closure.Entries {
		fmt.Fprintf(b.log, "%s\t%s\n", files[i], e.Source)
		bySource[e.Source] = append(bySource[e.Source], files[i])
		b.size += e.Pkg.Size
	}
	if !b.opts.Settings.VerifySignatures {
		return nil
	}
	var errs []error
	for _, m := range set.Members() {
		if files := bySource[m.Spec.ID]; m.Spec.Key != "" && len(files) > 0 {
			if err := b.checkSignatures(ctx, m.Spec, files); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// fetchAll fetches every closure entry from its recorded source, a few at
// a time, and returns the files in closure order. Every failure is
// reported, sorted.
func (b *builder) fetchAll(ctx context.Context, set *source.Set, dir string) ([]string, error) {
	entries := b.closure.Entries
	files := make([]string, len(entries))
	errs := make([]error, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(fetchWorkers, len(entries)) {
		wg.Go(func() {
			for i := range next {
				e := entries[i]
				m, ok := set.Member(e.Source)
				if !ok {
					errs[i] = fmt.Errorf("fetch %s: source %q is not among the sources (%s)", e.Pkg.NEVRA, e.Source, set.ID())
					continue
				}
				files[i], errs[i] = m.Source.Fetch(ctx, e.Pkg, dir)
				if errs[i] != nil {
					errs[i] = fmt.Errorf("%w (source %s)", errs[i], e.Source)
				}
			}
		})
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	var bad []error
	for _, err := range errs {
		if err != nil {
			bad = append(bad, err)
		}
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i].Error() < bad[j].Error() })
	return files, errors.Join(bad...)
}

// checkSignatures verifies files against spec's key alone, in a scratch
// rpm database holding only that key: the install transaction later
// imports every key, and would accept a package of one source signed
// with another source's key.
func (b *builder) checkSignatures(ctx context.Context, spec source.Spec, files []string) error {
	db, err := os.MkdirTemp(b.opts.Work, "keyring-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(db)
	for _, argv := range [][]string{
		{"rpm", "--dbpath", db, "--initdb"},
		{"rpm", "--dbpath", db, "--import", spec.Key},
	} {
		if err := b.run(ctx, argv...); err != nil {
			return fmt.Errorf("source %s: key %s: %w", spec.ID, spec.Key, err)
		}
	}
	var out bytes.Buffer
	cmd := b.cmd(RPMCheckSigArgv(db, files)...)
	cmd.Stdout = io.MultiWriter(b.log, &out)
	err = run.Run(ctx, cmd)
	if bad := notOK(out.String()); len(bad) > 0 {
		return fmt.Errorf("source %s: packages not signed by its key %s (%d): %s", spec.ID, spec.Key, len(bad), strings.Join(bad, ", "))
	}
	if err != nil {
		return fmt.Errorf("source %s: check signatures: %w", spec.ID, err)
	}
	return nil
}

// RPMCheckSigArgv returns the command that checks each file's digests
// and signature against the keys in the database at dbpath; a missing or
// unknown signature fails.
func RPMCheckSigArgv(dbpath string, files []string) []string {
	argv := []string{"rpm", "--dbpath", dbpath, "--define", "_pkgverify_level signature", "--checksig"}
	return append(argv, files...)
}

// notOK returns the base names of the files rpm --checksig output reports
// as failing ("FILE: digests SIGNATURES NOT OK").
func notOK(out string) []string {
	var bad []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		file, verdict, ok := strings.Cut(sc.Text(), ": ")
		if ok && strings.Contains(verdict, "NOT OK") {
			bad = append(bad, filepath.Base(file))
		}
	}
	sort.Strings(bad)
	return bad
}
