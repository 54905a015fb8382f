package recipecmd

import (
	"fmt"
	"slices"

	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/version"
	"github.com/spf13/cobra"
)

func newUpgradeCmd(a *app) *cobra.Command {
	var f changeFlags
	cmd := &cobra.Command{
		Use:   "upgrade [NAME...]",
		Short: "Install newer recipe versions of installed packages",
		Long: `Upgrade the named installed packages, or every installed package, to the
newest version their recipes offer, in one transaction (new dependencies
included). A package with no newer recipe stays as it is.`,
		Example: `  recipe upgrade
  recipe --root /mnt upgrade -n foot`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !f.dryRun && a.opts.json {
				return usage("upgrade supports --json only with --dry-run")
			}
			cat, err := a.loadCatalog()
			if err != nil {
				return err
			}
			inst, err := a.installed(cat)
			if err != nil {
				return err
			}
			reqs, err := upgradeRequests(cat, inst, args)
			if err != nil {
				return err
			}
			if len(reqs) == 0 {
				_, err := fmt.Fprintln(a.stdout, "nothing to upgrade")
				return err
			}
			return a.transact(cmd.Context(), cat, reqs, &f, "upgrade")
		},
	}
	f.register(cmd, true)
	return cmd
}

// upgradeRequests asks for the newest recipe version of each named
// installed package (all of them when names is empty) that is newer than
// the installed one, keeping its features.
func upgradeRequests(cat *catalog, inst []resolve.Installed, names []string) ([]resolve.Request, error) {
	var reqs []resolve.Request
	for _, n := range names {
		if !slices.ContainsFunc(inst, func(i resolve.Installed) bool { return i.Name == n }) {
			return nil, fail(fmt.Errorf("package %q is not installed", n))
		}
	}
	for _, i := range inst {
		if len(names) > 0 && !slices.Contains(names, i.Name) {
			continue
		}
		rs := cat.byName[i.Name]
		if len(rs) == 0 || version.Compare(rs[0].Version, i.Version) <= 0 {
			continue
		}
		req, err := parseRequest(i.Name + " = " + rs[0].Version)
		if err != nil {
			return nil, fail(err)
		}
		req.Features = i.Features
		reqs = append(reqs, req)
	}
	return reqs, nil
}
