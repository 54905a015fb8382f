package build

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/source"
)

func resolveStage(o Options) Stage {
	doc := "index the source, resolve the closure of packages.txt, write the lock"
	in := []string{o.Source, profile.PackagesFile}
	out := []string{o.Lock}
	if o.Locked {
		doc = "index the source, take exactly the locked packages (fail on drift)"
		in, out = append(in, o.Lock), nil
	}
	return Stage{Name: StageResolve, Doc: doc, Inputs: in, Outputs: out, run: (*builder).resolve}
}

func (b *builder) resolve(ctx context.Context) error {
	o := b.opts
	src, err := source.Open(ctx, o.Source, o.CacheDir)
	if err != nil {
		return err
	}
	b.src = src
	ix, err := src.Index(ctx)
	if err != nil {
		return err
	}
	inputs := []closure.Input{{ID: src.ID(), Index: ix}}
	reqs := Requests(o.Profile)
	c, err := closure.Resolve(inputs, reqs)
	if err != nil {
		return err
	}
	if o.Locked {
		c, err = lockedClosure(inputs, c, o.Lock)
		if err != nil {
			return err
		}
	}
	// A missing boot requirement is a warning here, not an error: another
	// vendor may ship the same capability under a name the table does not
	// know, and a real gap fails loudly in the initramfs or iso stage.
	// `levitateiso check --source` reports it as an error.
	for _, d := range o.Profile.CheckClosure(Provides(c)) {
		fmt.Fprintf(b.log, "warning: %s\n", d)
		fmt.Fprintf(o.Console, "warning: %s\n", d)
	}
	b.closure = c
	fmt.Fprintf(b.log, "%d packages from %s\n", len(c.Entries), src.ID())
	for _, n := range c.Names() {
		fmt.Fprintln(b.log, n)
	}
	if o.Locked || o.Lock == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := closure.WriteLock(&buf, c); err != nil {
		return err
	}
	b.size = int64(buf.Len())
	return writeAtomic(o.Lock, buf.Bytes(), 0o644)
}

// lockedClosure returns the lock's packages, failing when the resolved
// closure c has drifted from it.
func lockedClosure(inputs []closure.Input, c *closure.Closure, path string) (*closure.Closure, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--locked: %w", err)
	}
	defer f.Close()
	l, err := closure.ReadLock(f, path)
	if err != nil {
		return nil, err
	}
	d, err := closure.Diff(l, c)
	if err != nil {
		return nil, err
	}
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("--locked: %s: %w", path, err)
	}
	return closure.FromLock(inputs, l)
}

// Requests turns packages.txt into closure requests positioned at their
// lines.
func Requests(p *profile.Profile) []closure.Request {
	reqs := make([]closure.Request, len(p.Packages))
	for i, pk := range p.Packages {
		reqs[i] = closure.Request{Name: pk.Name, Pos: fmt.Sprintf("%s:%d:%d", profile.PackagesFile, pk.Line, pk.Col)}
	}
	return reqs
}

// Provides returns a lookup of the names and provides in c, for
// profile.CheckClosure.
func Provides(c *closure.Closure) func(string) bool {
	has := map[string]bool{}
	for _, e := range c.Entries {
		has[e.Pkg.Name] = true
		for _, d := range e.Pkg.Provides {
			has[d.Name] = true
		}
	}
	return func(name string) bool { return has[name] }
}
