package recipecmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/resolve"
	"github.com/spf13/cobra"
)

func newInstallCmd(a *app) *cobra.Command {
	var f changeFlags
	cmd := &cobra.Command{
		Use:   "install PACKAGE...|FILE.recipe...",
		Short: "Install packages and their dependencies into the root",
		Long: `Resolve the named packages and their dependencies against the installed
database under --root, fetch every source (sha256 checked while streaming,
cached under ROOT/var/cache/recipe), build each package in a private
directory, and commit all of them into the root in one transaction: a hash
mismatch, a failed build or a file conflict changes nothing.

A PACKAGE is NAME, or NAME[feat,-feat] to switch features on or off,
optionally followed by a constraint: 'sway >= 1.10', 'app[gui,-tls]'.
An argument ending in .recipe installs that recipe file.
A package already installed in the same version is left alone.

With --dry-run, print the resolver's plan in install order and what would
be fetched, installed and removed, and change nothing. When no plan exists,
print the resolver's explanation and exit 1.`,
		Example: `  recipe install sway
  recipe --root /mnt install -n 'app[gui,-tls]' 'wlroots >= 0.18'
  recipe install ./hello.recipe
  recipe --json install -n foot`,
		Args: minArgs(1, "at least one package name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			reqs := make([]resolve.Request, 0, len(args))
			var files []string
			for _, arg := range args {
				if isRecipeFile(arg) {
					files = append(files, arg)
					continue
				}
				r, err := parseRequest(arg)
				if err != nil {
					return usage("%w", err)
				}
				reqs = append(reqs, r)
			}
			if !f.dryRun && a.opts.json {
				return usage("install supports --json only with --dry-run")
			}
			cat, err := a.catalogFor(len(reqs) > 0)
			if err != nil {
				return err
			}
			for _, file := range files {
				r, err := a.addFile(cat, file)
				if err != nil {
					return err
				}
				req, err := parseRequest(r.Name + " = " + r.Version)
				if err != nil {
					return fail(err)
				}
				reqs = append(reqs, req)
			}
			return a.transact(cmd.Context(), cat, reqs, &f, "install")
		},
	}
	f.register(cmd, true)
	return cmd
}

// installJSON is the output of `install --dry-run --json`.
type installJSON struct {
	OK   bool       `json:"ok"`
	Plan []stepJSON `json:"plan,omitempty"`
	// Packages is what the engine would do: fetches with sizes, files
	// added and removed.
	Packages []dryJSON `json:"packages,omitempty"`
	// Blocked is why the engine could not carry the plan out (dry run).
	Blocked string     `json:"blocked,omitempty"`
	Error   string     `json:"error,omitempty"`
	Cycles  [][]string `json:"cycles,omitempty"`
	// Unsatisfiable details the dependency that could not be met.
	Unsatisfiable *unsatJSON `json:"unsatisfiable,omitempty"`
}

// unsatJSON is a resolve.UnsatisfiableError for machines.
type unsatJSON struct {
	Name         string            `json:"name"`
	Missing      bool              `json:"missing"`
	Requirements []requirementJSON `json:"requirements"`
	Available    []string          `json:"available,omitempty"`
	Rejected     []string          `json:"rejected,omitempty"`
	Suggestions  []string          `json:"suggestions,omitempty"`
}

// requirementJSON is one demand on a name: who asked ("" for the user),
// the dependency as written and where it was declared.
type requirementJSON struct {
	By   string `json:"by,omitempty"`
	Dep  string `json:"dep"`
	Kind string `json:"kind"`
	From string `json:"from,omitempty"`
}

// stepJSON is one package of a plan, in install order.
type stepJSON struct {
	Action   string   `json:"action"` // install, upgrade, downgrade, keep
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	Replaces string   `json:"replaces,omitempty"`
	Features []string `json:"features,omitempty"`
	Explicit bool     `json:"explicit"`
	NeededBy []string `json:"needed_by,omitempty"`
	Source   string   `json:"source,omitempty"`
}

func planJSON(p *resolve.Plan) []stepJSON {
	out := make([]stepJSON, 0, len(p.Steps))
	for _, st := range p.Steps {
		s := stepJSON{
			Action: stepAction(st), Name: st.Name, Version: st.Version,
			Features: st.Features, Explicit: st.Reason == resolve.Explicit, NeededBy: st.NeededBy,
		}
		if st.Replaces != st.Version {
			s.Replaces = st.Replaces
		}
		if st.Package != nil {
			s.Source = st.Package.Source
		}
		out = append(out, s)
	}
	return out
}

func stepAction(st resolve.Step) string {
	switch {
	case st.AlreadyInstalled:
		return "keep"
	case st.Replaces != "" && st.Replaces != st.Version && st.Upgrade:
		return "upgrade"
	case st.Replaces != "" && st.Replaces != st.Version:
		return "downgrade"
	default:
		return "install"
	}
}

// explain prints why no plan exists, on stdout as JSON with --json or on
// stderr as text, and returns the failure.
func (a *app) explain(err error) error {
	var ce *resolve.CycleError
	if a.opts.json {
		out := installJSON{Error: err.Error()}
		var ue *resolve.UnsatisfiableError
		switch {
		case errors.As(err, &ce):
			out.Cycles = ce.Cycles
		case errors.As(err, &ue):
			u := &unsatJSON{Name: ue.Name, Missing: ue.Missing, Available: ue.Available, Rejected: ue.Rejected, Suggestions: ue.Suggestions}
			for _, r := range ue.Requirements {
				u.Requirements = append(u.Requirements, requirementJSON{By: r.By, Dep: r.Dep.Spec(), Kind: r.Dep.Kind.String(), From: r.Dep.From})
			}
			out.Unsatisfiable = u
		}
		if werr := a.writeJSON(out); werr != nil {
			return fail(werr)
		}
		return silent(ExitFailure, err)
	}
	fmt.Fprintf(a.stderr, "recipe: %s\n", explanation(err))
	return silent(ExitFailure, err)
}

// explanation renders a resolver error for people: an unsatisfiable
// dependency gets one line per requirement, so that the clashing
// constraints and who asked for each stand out.
func explanation(err error) string {
	var ue *resolve.UnsatisfiableError
	if !errors.As(err, &ue) || ue.Missing {
		return "cannot install: " + err.Error()
	}
	var b strings.Builder
	b.WriteString("cannot install: ")
	var ae *resolve.AbandonedError
	if errors.As(err, &ae) {
		fmt.Fprintf(&b, "gave up after %d attempts; the furthest dead end: ", ae.Attempts)
	}
	fmt.Fprintf(&b, "cannot satisfy %q:", ue.Name)
	for _, r := range ue.Requirements {
		b.WriteString("\n  " + r.String())
	}
	for _, av := range ue.Available {
		b.WriteString("\n  available: " + av)
	}
	for _, r := range ue.Rejected {
		b.WriteString("\n  " + r)
	}
	return b.String()
}
