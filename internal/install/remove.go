package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/store"
)

// RemoveOptions tunes Remove beyond Options.
type RemoveOptions struct {
	// Cascade also removes the installed packages that depend on the named
	// ones, transitively.
	Cascade bool
	// Orphans also removes dependency packages nothing needs afterwards.
	Orphans bool
	// Recipes supplies the recipes of installed packages by name, for their
	// (remove ...) and (stop ...) forms; a package without one loses only
	// its recorded files.
	Recipes map[string]*recipe.Recipe
	// Confirm answers a (... prompt) policy; nil keeps the path.
	Confirm func(question string) bool
}

// DependentsError refuses a removal that would break installed packages.
type DependentsError struct {
	// Needed maps a package to be removed to the installed packages that
	// need it, sorted.
	Needed map[string][]string
}

func (e *DependentsError) Error() string {
	names := make([]string, 0, len(e.Needed))
	for n := range e.Needed {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "cannot remove %q: needed by %s", n, strings.Join(e.Needed[n], ", "))
	}
	b.WriteString(" (use cascade to remove them too)")
	return b.String()
}

// Remove uninstalls the named packages (and, by ro, their dependents and
// orphans) in one store transaction, then runs their recipes' remove forms.
func Remove(ctx context.Context, names []string, opts Options, ro RemoveOptions) (*Summary, error) {
	start := time.Now()
	db, err := store.Open(opts.root(), opts.storeOptions())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	metas, err := db.List()
	if err != nil {
		return nil, err
	}
	set, err := removalSet(metas, names, ro)
	if err != nil {
		return nil, err
	}
	sum := &Summary{}
	if opts.DryRun {
		sum.Plan, err = dryRemove(db, set)
		sum.Duration = time.Since(start)
		return sum, err
	}
	for _, n := range set {
		opts.emit(Event{Package: n, Step: "remove"})
	}
	stopFirst(ctx, set, &opts, ro)
	res, err := commit(ctx, db, store.Plan{Remove: set})
	if err != nil {
		return nil, err
	}
	sum.Removed, sum.Saved = set, res.Saved
	var errs []error
	for _, n := range set {
		if r := ro.Recipes[n]; r != nil {
			errs = append(errs, removeForms(ctx, r, &opts, ro))
		}
	}
	sum.Duration = time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return sum, fmt.Errorf("removed, but a remove step failed: %w", err)
	}
	return sum, nil
}

// removalSet closes names under the options and checks that no remaining
// package needs a removed one. The result is sorted.
func removalSet(metas []store.Meta, names []string, ro RemoveOptions) ([]string, error) {
	installed := make(map[string]store.Meta, len(metas))
	for _, m := range metas {
		installed[m.Name] = m
	}
	set := make(map[string]bool)
	var errs []error
	for _, n := range names {
		if _, ok := installed[n]; !ok {
			errs = append(errs, fmt.Errorf("package %q: %w", n, store.ErrNotInstalled))
		}
		set[n] = true
	}
	if len(errs) > 0 {
		return nil, joinSorted(errs)
	}
	for changed := true; changed; {
		changed = false
		needed := make(map[string][]string)
		for _, m := range metas {
			if set[m.Name] {
				continue
			}
			for _, d := range m.Depends {
				if set[d] {
					needed[d] = append(needed[d], m.Name)
					if ro.Cascade {
						set[m.Name], changed = true, true
					}
				}
			}
		}
		if !ro.Cascade && len(needed) > 0 {
			for k, v := range needed {
				slices.Sort(v)
				needed[k] = slices.Compact(v)
			}
			return nil, &DependentsError{Needed: needed}
		}
		if !changed && ro.Orphans {
			for _, o := range orphansOf(metas, set) {
				set[o], changed = true, true
			}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

// orphansOf returns the dependency packages outside gone that no package
// outside gone needs, sorted.
func orphansOf(metas []store.Meta, gone map[string]bool) []string {
	needed := make(map[string]bool)
	for _, m := range metas {
		if gone[m.Name] {
			continue
		}
		for _, d := range m.Depends {
			needed[d] = true
		}
	}
	var out []string
	for _, m := range metas {
		if !gone[m.Name] && m.Reason == store.Dependency && !needed[m.Name] {
			out = append(out, m.Name)
		}
	}
	return out
}

// Orphans returns the installed dependency packages that no installed
// package needs (for "list --orphans"), sorted.
func Orphans(db *store.DB) ([]string, error) {
	metas, err := db.List()
	return orphansOf(metas, nil), err
}

// removeForms runs r's (remove ...) forms after its files are gone.
func removeForms(ctx context.Context, r *recipe.Recipe, opts *Options, ro RemoveOptions) error {
	if r.Remove == nil {
		return nil
	}
	root, err := os.OpenRoot(opts.root())
	if err != nil {
		return err
	}
	defer root.Close()
	var errs []error
	for _, st := range r.Remove.Steps {
		opts.emit(Event{Package: r.Name, Step: st.Kind, Detail: st.Arg})
		var err error
		switch {
		case st.Policy == "keep":
			continue
		case st.Policy == "prompt" && (ro.Confirm == nil || !ro.Confirm(fmt.Sprintf("%s: %s %s?", r.Name, st.Kind, st.Arg))):
			continue
		case st.Kind == "rm-user":
			err = removeUser(root, st.Arg)
		default:
			var rel string
			if rel, err = rootPath(st.Arg); err == nil {
				err = root.RemoveAll(rel)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s %s: %w", st.Pos, st.Kind, st.Arg, err))
		}
	}
	return joinSorted(errs)
}

// stopArgv returns the command of a (stop ...) form. It is only run when
// the root is the running system.
func stopArgv(s *recipe.Stop) []string {
	switch s.Kind {
	case "service-stop":
		return []string{"systemctl", "stop", s.Name}
	case "signal":
		return []string{"pkill", "-" + s.Signal, "-x", s.Name}
	default:
		return []string{"pkill", "-x", s.Name}
	}
}

// stopFirst stops the packages whose recipes say (remove stop-first), on
// the running system only.
func stopFirst(ctx context.Context, set []string, opts *Options, ro RemoveOptions) {
	if opts.root() != "/" {
		return
	}
	for _, n := range set {
		r := ro.Recipes[n]
		if r == nil || r.Remove == nil || !r.Remove.StopFirst || r.Stop == nil {
			continue
		}
		// A package that is not running is not an error.
		_ = run.Run(ctx, run.Cmd{Argv: stopArgv(r.Stop)})
	}
}
