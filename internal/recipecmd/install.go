package recipecmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/resolve"
	"github.com/spf13/cobra"
)

func newInstallCmd(a *app) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "install --dry-run PACKAGE...",
		Short: "Plan the install of packages (only --dry-run for now)",
		Long: `Resolve the named packages and their dependencies and print the plan in
install order: every package after everything it needs, build dependencies
included. When no plan exists, print the resolver's explanation (the clashing
constraints and who asked for each, or the dependency cycle) and exit 1.

A PACKAGE is NAME, or NAME[feat,-feat] to switch features on or off,
optionally followed by a constraint: 'sway >= 1.10', 'app[gui,-tls]'.
Nothing counts as installed yet: the installed database under --root comes
with the install issue.

Real installs come with the install issue; without --dry-run the command
refuses and exits 1.`,
		Example: `  recipe install -n sway
  recipe install --dry-run 'app[gui,-tls]' 'wlroots >= 0.18'
  recipe --json install -n foot`,
		Args: minArgs(1, "at least one package name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			reqs := make([]resolve.Request, 0, len(args))
			for _, arg := range args {
				r, err := parseRequest(arg)
				if err != nil {
					return usage("%w", err)
				}
				reqs = append(reqs, r)
			}
			if !dryRun {
				return fail(errors.New("real installs are not implemented yet (they come with the install issue); use --dry-run to see the plan"))
			}
			cat, err := a.loadCatalog()
			if err != nil {
				return err
			}
			plan, err := cat.universe().Resolve(reqs, nil, resolve.Options{})
			if err != nil {
				return a.explain(err)
			}
			if a.opts.json {
				return a.writeJSON(installJSON{OK: true, Plan: planJSON(plan)})
			}
			_, err = fmt.Fprint(a.stdout, plan.String())
			return err
		},
	}
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "print the plan without installing anything")
	return cmd
}

// installJSON is the output of `install --dry-run --json`.
type installJSON struct {
	OK     bool       `json:"ok"`
	Plan   []stepJSON `json:"plan,omitempty"`
	Error  string     `json:"error,omitempty"`
	Cycles [][]string `json:"cycles,omitempty"`
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
