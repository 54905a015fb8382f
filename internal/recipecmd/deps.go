package recipecmd

import (
	"errors"
	"fmt"

	"github.com/levitateos/levitate/internal/resolve"
	"github.com/spf13/cobra"
)

func newDepsCmd(a *app) *cobra.Command {
	var reverse, runtimeOnly bool
	cmd := &cobra.Command{
		Use:   "deps NAME[FEATURES]",
		Short: "Print the dependency tree of a package",
		Long: `Print the dependency tree of a package: build and runtime dependencies alike,
build dependencies marked "build", conditional ones "if FEATURE", and the
constraint when one was given. Each package is expanded once; later
occurrences are marked (*), and a dependency on one of its own ancestors is
marked (cycle). A dependency no recipe satisfies is marked (missing).

NAME[feat,-feat] switches features of the root package on or off; its
dependencies get their default features.

With --reverse, print who depends on NAME (directly, then transitively),
of any kind and condition.`,
		Example: `  recipe deps sway
  recipe deps --runtime foot
  recipe deps --reverse wayland
  recipe --json deps 'app[-gui]'`,
		Args: exactArgs(1, "one package name"),
		RunE: func(_ *cobra.Command, args []string) error {
			req, err := parseRequest(args[0])
			if err != nil {
				return usage("%w", err)
			}
			if !req.Constraint.Any() {
				return usage("deps takes a package name, not a constraint: %q", args[0])
			}
			cat, err := a.loadCatalog()
			if err != nil {
				return err
			}
			u := cat.universe()
			if runtimeOnly {
				u = resolve.NewUniverse(withoutBuildDeps(packages(cat.recipes)))
			}
			if reverse {
				return a.printReverse(cat, u, req)
			}
			tree, err := u.Tree(req.Name, req.Features)
			if err != nil {
				var ue *resolve.UnsatisfiableError
				if errors.As(err, &ue) && ue.Missing {
					return fail(unknownPackage(req.Name, cat.names()))
				}
				return fail(err)
			}
			if a.opts.json {
				return a.writeJSON(nodeJSON(tree))
			}
			_, err = fmt.Fprint(a.stdout, tree.String())
			return err
		},
	}
	cmd.Flags().BoolVarP(&reverse, "reverse", "r", false, "print the packages that depend on NAME")
	cmd.Flags().BoolVar(&runtimeOnly, "runtime", false, "leave out build dependencies")
	return cmd
}

func (a *app) printReverse(cat *catalog, u *resolve.Universe, req resolve.Request) error {
	if len(req.Features) > 0 {
		return usage("--reverse takes a package name without features")
	}
	if len(u.Versions(req.Name)) == 0 && len(u.ReverseDeps(req.Name)) == 0 {
		return fail(unknownPackage(req.Name, cat.names()))
	}
	tree := reverseTree(u, req.Name)
	if a.opts.json {
		return a.writeJSON(tree.json())
	}
	_, err := fmt.Fprint(a.stdout, tree.String())
	return err
}

// withoutBuildDeps drops the build dependencies of every package.
func withoutBuildDeps(pkgs []resolve.Package) []resolve.Package {
	for i := range pkgs {
		var keep []resolve.Dep
		for _, d := range pkgs[i].Deps {
			if d.Kind != resolve.Build {
				keep = append(keep, d)
			}
		}
		pkgs[i].Deps = keep
	}
	return pkgs
}
