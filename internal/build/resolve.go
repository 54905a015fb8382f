package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/source"
)

func resolveStage(o Options) Stage {
	doc := "index every source, resolve the closure of packages.txt across them, write the lock"
	in := append(sourceIDs(o.Sources), profile.PackagesFile)
	out := []string{o.Lock}
	if o.Locked {
		doc = "index every source, take exactly the locked packages from their recorded sources (fail on drift)"
		in, out = append(in, o.Lock), nil
	}
	return Stage{Name: StageResolve, Doc: doc, Inputs: in, Outputs: out, run: (*builder).resolve}
}

func sourceIDs(srcs []profile.Source) []string {
	var ids []string
	for _, s := range Specs(srcs) {
		ids = append(ids, s.ID)
	}
	return ids
}

// Specs turns profile sources into the specs source.OpenSet opens; a
// source without an ID is named by its location.
func Specs(srcs []profile.Source) []source.Spec {
	out := make([]source.Spec, len(srcs))
	for i, s := range srcs {
		id := s.ID
		if id == "" {
			id = s.Location
		}
		out[i] = source.Spec{ID: id, Location: s.Location, Priority: s.Priority, Key: s.Key}
	}
	return out
}

// Inputs returns the closure inputs of an opened source set, in order.
func Inputs(set *source.Set) []closure.Input {
	ms := set.Members()
	in := make([]closure.Input, len(ms))
	for i, m := range ms {
		in[i] = closure.Input{ID: m.Spec.ID, Priority: m.Spec.Priority, Index: m.Index}
	}
	return in
}

// AllKeys returns keys followed by every source's key not already among
// them: the keys the root's rpm database must hold.
func AllKeys(keys []string, srcs []profile.Source) []string {
	out := slices.Clone(keys)
	for _, s := range srcs {
		if s.Key != "" && !slices.Contains(out, s.Key) {
			out = append(out, s.Key)
		}
	}
	return out
}

func (b *builder) resolve(ctx context.Context) error {
	o := b.opts
	set, err := source.OpenSet(ctx, Specs(o.Sources), o.CacheDir)
	if err != nil {
		return err
	}
	b.src = set
	inputs := Inputs(set)
	reqs, err := Requests(o.Profile)
	if err != nil {
		return err
	}
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
	fmt.Fprintf(b.log, "%d packages from %s\n", len(c.Entries), set.ID())
	for _, e := range c.Entries {
		fmt.Fprintf(b.log, "%s\t%s\n", e.Pkg.NEVRA, e.Source)
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

// lockedClosure returns the lock's packages, each from its recorded
// source, failing when the resolved closure c has drifted from it.
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
	locked, err := closure.FromLock(inputs, l)
	if err != nil {
		return nil, fmt.Errorf("--locked: %s: %w", path, err)
	}
	return locked, nil
}

// Requests turns packages.txt into closure requests positioned at their
// lines, followed by the vendor packages the profile's recipes acquire
// (see RecipeRequests): the live system carries what recipe bootstrap
// installs, and the medium's repository holds it.
func Requests(p *profile.Profile) ([]closure.Request, error) {
	reqs := make([]closure.Request, len(p.Packages))
	for i, pk := range p.Packages {
		reqs[i] = closure.Request{Name: pk.Name, Pos: fmt.Sprintf("%s:%d:%d", profile.PackagesFile, pk.Line, pk.Col)}
	}
	if p.Settings.RecipesDir == "" {
		return reqs, nil
	}
	more, err := RecipeRequests(p.Settings.RecipesDir)
	return append(reqs, more...), err
}

// RecipeRPM is the package the builder makes of the recipe binary for
// the medium's repository; no vendor source has it.
const RecipeRPM = "recipe"

// RecipeRequests returns a request for every vendor package that a recipe
// in dir acquires with (acquire (rpm ...)), positioned at the recipe,
// except RecipeRPM. A directory with broken recipes is an error.
func RecipeRequests(dir string) ([]closure.Request, error) {
	rs, diags := recipe.LoadDir(dir)
	if diags.HasErrors() {
		return nil, fmt.Errorf("recipes %s: %w", dir, diags.Err())
	}
	var reqs []closure.Request
	for _, r := range rs {
		if r.Acquire == nil || r.Acquire.Kind != recipe.AcquireRPM {
			continue
		}
		for _, name := range r.Acquire.RPMs {
			if name != RecipeRPM {
				reqs = append(reqs, closure.Request{Name: name, Pos: r.Acquire.Pos.String()})
			}
		}
	}
	return reqs, nil
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

// SysimageDBPath is where rpm keeps its database since Fedora 36 and
// RHEL/Rocky 10 (%_dbpath); /var/lib/rpm (DBPath) before.
const SysimageDBPath = "/usr/lib/sysimage/rpm"

// RPMDBPath returns the database path the closure's own rpm expects: the
// sysimage path when a package of c owns SysimageDBPath/rpmdb.sqlite (Rocky
// 10's rpm lists it as a %ghost file), else DBPath. Writing the database
// elsewhere would leave the booted system's rpm with an empty one.
func RPMDBPath(inputs []closure.Input, c *closure.Closure) (string, error) {
	in := map[any]bool{}
	for _, e := range c.Entries {
		in[e.Pkg] = true
	}
	for _, inp := range inputs {
		ps, err := inp.Index.WhatProvidesFile(SysimageDBPath + "/rpmdb.sqlite")
		if err != nil {
			return "", fmt.Errorf("rpm database path: %s: %w", inp.ID, err)
		}
		for _, p := range ps {
			if in[p] {
				return SysimageDBPath, nil
			}
		}
	}
	return DBPath, nil
}
