package recipecmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/bootstrap"
	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/source"
	"github.com/spf13/cobra"
)

// hostCache is the host's package cache used by bootstrap -c.
const hostCache = "/var/cache/recipe"

// bootstrapFlags are the options of recipe bootstrap.
type bootstrapFlags struct {
	hostCache bool
	cacheDir  string
	repos     []string
	config    string
	noConfig  bool
	only      bool
	dryRun    bool
	verify    bool
}

func newBootstrapCmd(a *app) *cobra.Command {
	var f bootstrapFlags
	cmd := &cobra.Command{
		Use:   "bootstrap [flags] TARGET [NAME...]",
		Short: "Install a new system into TARGET (like pacstrap)",
		Long: `Install the base recipes (` + strings.Join(bootstrap.BaseSet(), " ") + `)
and the NAMEs given into the directory TARGET, usually the new system's
root file system mounted at /mnt.

Every recipe must exist and resolve, and the RPM closure of their
(acquire (rpm ...)) forms must resolve over the repositories, before
TARGET is touched; every unsatisfiable requirement is reported. Then
TARGET gets the file system hierarchy (merged /usr), the packages are
installed by rpm in one transaction with their scriptlets, while /proc,
/sys, /dev, /run and /tmp are mounted in a private mount namespace, the
recipes and the configuration are copied, and TARGET's recipe database
records each recipe with the files of its RPMs.

Repositories come from --repo, else from the repo lines of the
configuration file (` + bootstrap.DefaultConfig + `).`,
		Example: `  recipe bootstrap /mnt
  recipe bootstrap /mnt systemd-boot sudo
  recipe bootstrap -n --repo /run/initramfs/live/repo /mnt
  recipe bootstrap --only --repo ./repo /tmp/root bash coreutils`,
		Args: minArgs(1, "TARGET and optional recipe names"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.noJSON(cmd); err != nil {
				return err
			}
			if f.only && len(args) < 2 {
				return usage("--only needs at least one NAME")
			}
			return a.bootstrap(cmd.Context(), &f, args[0], args[1:])
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.hostCache, "host-cache", "c", false, "download packages into the host's cache ("+hostCache+") and keep them, instead of the target's")
	fl.StringVar(&f.cacheDir, "cache-dir", hostCache, "the host cache of -c: parsed indexes and, under rpms/, the packages")
	fl.StringArrayVar(&f.repos, "repo", nil, "package repository: directory, URL, medium tree or ISO (repeatable; replaces the config's repo lines)")
	fl.StringVarP(&f.config, "config", "C", "", "configuration file to read and copy (default "+bootstrap.DefaultConfig+")")
	fl.BoolVarP(&f.noConfig, "no-config", "M", false, "do not copy the configuration file into the target")
	fl.BoolVar(&f.only, "only", false, "install only the NAMEs, not the base set")
	fl.BoolVarP(&f.dryRun, "dry-run", "n", false, "print the recipes and packages that would be installed; change nothing")
	fl.BoolVar(&f.verify, "verify-signatures", false, "make rpm require valid package signatures (import the keys into the target first)")
	return cmd
}

// bootstrapNames is the set to install: the base set and the extras, or
// only the extras, each once, in order.
func bootstrapNames(only bool, extra []string) []string {
	var names []string
	if !only {
		names = bootstrap.BaseSet()
	}
	for _, n := range extra {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func (a *app) bootstrap(ctx context.Context, f *bootstrapFlags, target string, extra []string) error {
	names := bootstrapNames(f.only, extra)
	cat, err := a.loadCatalog()
	if err != nil {
		return err
	}
	groups, err := a.bootstrapGroups(cat, names)
	if err != nil {
		return err
	}
	configPath, conf, err := bootstrapConfig(f)
	if err != nil {
		return fail(err)
	}
	repos := f.repos
	if len(repos) == 0 {
		repos = conf.Repos
	}
	if len(repos) == 0 {
		return fail(fmt.Errorf("no package repository: give --repo or add a repo line to %s", configPath))
	}
	cacheDir := ""
	if f.hostCache {
		cacheDir = f.cacheDir
	} else {
		tmp, err := os.MkdirTemp("", "recipe-bootstrap-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(tmp)
		cacheDir = tmp
	}
	srcs, inputs, err := openRepos(ctx, repos, cacheDir)
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	if err != nil {
		return fail(err)
	}
	plan, err := bootstrap.NewPlan(groups, inputs)
	if err != nil {
		return fail(err)
	}
	if f.dryRun {
		return a.printBootstrapPlan(target, plan)
	}
	byID := make(map[string]source.Source, len(srcs))
	for _, s := range srcs {
		byID[s.ID()] = s
	}
	o := bootstrap.Options{
		Target:           target,
		RecipesDir:       a.opts.recipesDir,
		VerifySignatures: f.verify,
		Log:              a.stderr,
		Progress: func(format string, args ...any) {
			fmt.Fprintf(a.stderr, "==> "+format+"\n", args...)
		},
		Fetch: func(ctx context.Context, e closure.Entry, dir string) (string, error) {
			return byID[e.Source].Fetch(ctx, e.Pkg, dir)
		},
	}
	if f.hostCache {
		o.CacheDir = filepath.Join(f.cacheDir, "rpms")
	}
	if !f.noConfig {
		if _, err := os.Stat(configPath); err == nil {
			o.Config = configPath
		}
	}
	if err := bootstrap.Execute(ctx, plan, o); err != nil {
		return fail(fmt.Errorf("bootstrap %s: %w", target, err))
	}
	fmt.Fprintf(a.stdout, "bootstrapped %s: %d recipe(s), %d package(s)\n", target, len(plan.Groups), len(plan.Closure.Entries))
	return nil
}

// bootstrapConfig reads the configuration file: the one named with
// --config (which must exist) or the default one (which may not).
func bootstrapConfig(f *bootstrapFlags) (string, bootstrap.Config, error) {
	if f.config != "" {
		c, err := bootstrap.LoadConfig(f.config, false)
		return f.config, c, err
	}
	c, err := bootstrap.LoadConfig(bootstrap.DefaultConfig, true)
	return bootstrap.DefaultConfig, c, err
}

// bootstrapGroups checks that every name has a recipe (reporting all
// unknown names at once), resolves them at the recipe level and returns
// the recipes in install order.
func (a *app) bootstrapGroups(cat *catalog, names []string) ([]bootstrap.Group, error) {
	var unknown []string
	reqs := make([]resolve.Request, 0, len(names))
	for _, n := range names {
		if _, err := cat.lookup(n); err != nil {
			unknown = append(unknown, unknownPackage(n, cat.names()).Error())
			continue
		}
		reqs = append(reqs, resolve.Request{Name: n})
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fail(fmt.Errorf("%d name(s) without a recipe in %s, nothing done:\n  %s", len(unknown), a.opts.recipesDir, strings.Join(unknown, "\n  ")))
	}
	plan, err := cat.universe().Resolve(reqs, nil, resolve.Options{})
	if err != nil {
		return nil, a.explain(err)
	}
	groups := make([]bootstrap.Group, 0, len(plan.Steps))
	for _, st := range plan.Steps {
		r := cat.find(st.Name, st.Version)
		if r == nil {
			return nil, fail(fmt.Errorf("recipe %s %s: not in the catalog", st.Name, st.Version))
		}
		groups = append(groups, bootstrap.Group{Recipe: r, Explicit: st.Reason == resolve.Explicit, Depends: runtimeDeps(r)})
	}
	return groups, nil
}

// runtimeDeps names the run-time dependencies of a recipe.
func runtimeDeps(r *recipe.Recipe) []string {
	var out []string
	for _, d := range r.Deps {
		if d.Kind == recipe.Runtime && !slices.Contains(out, d.Name) {
			out = append(out, d.Name)
		}
	}
	return out
}

// openRepos opens the repositories and reads their indexes; the first
// one listed has the highest priority.
func openRepos(ctx context.Context, specs []string, cacheDir string) ([]source.Source, []closure.Input, error) {
	var srcs []source.Source
	var inputs []closure.Input
	for i, spec := range specs {
		s, err := source.Open(ctx, spec, cacheDir)
		if err != nil {
			return srcs, nil, fmt.Errorf("repository %s: %w", spec, err)
		}
		srcs = append(srcs, s)
		ix, err := s.Index(ctx)
		if err != nil {
			return srcs, nil, fmt.Errorf("repository %s: %w", spec, err)
		}
		inputs = append(inputs, closure.Input{ID: s.ID(), Priority: len(specs) - i, Index: ix})
	}
	return srcs, inputs, nil
}

// printBootstrapPlan prints what bootstrap would install.
func (a *app) printBootstrapPlan(target string, p *bootstrap.Plan) error {
	w := a.stdout
	fmt.Fprintf(w, "would bootstrap %s (dry run, nothing changed):\n", target)
	for _, g := range p.Groups {
		reason := "dependency"
		if g.Explicit {
			reason = "explicit"
		}
		fmt.Fprintf(w, "recipe  %s %s (%s): %d package(s)\n", g.Recipe.Name, g.Recipe.Version, reason, len(g.Packages))
		for _, e := range g.Packages {
			fmt.Fprintf(w, "  %s\n", bootstrap.PackageLabel(e.Pkg))
		}
	}
	fmt.Fprintf(w, "%d recipe(s), %d package(s), %d bytes to fetch\n", len(p.Groups), len(p.Closure.Entries), p.Size())
	return nil
}
