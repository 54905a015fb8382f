package recipecmd

import (
	"bufio"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/levitateos/levitate/internal/install"
	"github.com/levitateos/levitate/internal/store"
	"github.com/spf13/cobra"
)

// installedJSON is one package in the output of `list --installed --json`.
type installedJSON struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Features    []string `json:"features,omitempty"`
	Reason      string   `json:"reason"`
	InstalledAt string   `json:"installed_at"`
	Depends     []string `json:"depends,omitempty"`
}

// withInstalled gives the list command its view of the installed database:
// --installed, --explicit and --orphans; without them list shows the
// recipe directory as before.
func (a *app) withInstalled(list *cobra.Command) *cobra.Command {
	var installed, explicit, orphans bool
	list.Flags().BoolVar(&installed, "installed", false, "list the packages installed under --root instead of the recipes")
	list.Flags().BoolVar(&explicit, "explicit", false, "with --installed: only packages installed by name, not as dependencies")
	list.Flags().BoolVar(&orphans, "orphans", false, "with --installed: only dependency packages nothing needs any more")
	list.Long += `

With --installed, list the packages of the installed database under --root:
name, version, install reason and features. --explicit keeps the packages
installed by name, --orphans the dependency packages nothing needs.`
	list.Example += `
  recipe --root /mnt list --installed --explicit`
	recipes, plain := list.RunE, list.Run
	list.Run = nil
	list.RunE = func(cmd *cobra.Command, args []string) error {
		switch {
		case installed || explicit || orphans:
		case recipes != nil:
			return recipes(cmd, args)
		case plain != nil:
			plain(cmd, args)
			return nil
		}
		return a.listInstalled(explicit, orphans)
	}
	return list
}

// listInstalled prints the installed packages, filtered.
func (a *app) listInstalled(explicit, orphans bool) error {
	var metas []store.Meta
	if a.rootExists() {
		db, err := a.openDB()
		if err != nil {
			return err
		}
		defer db.Close()
		metas, err = db.List()
		if err != nil {
			return fail(fmt.Errorf("read database: %w", err))
		}
		if orphans {
			names, err := install.Orphans(db)
			if err != nil {
				return fail(fmt.Errorf("find orphans: %w", err))
			}
			metas = slices.DeleteFunc(metas, func(m store.Meta) bool { return !slices.Contains(names, m.Name) })
		}
	}
	if explicit {
		metas = slices.DeleteFunc(metas, func(m store.Meta) bool { return m.Reason != store.Explicit })
	}
	if a.opts.json {
		out := make([]installedJSON, len(metas))
		for i, m := range metas {
			out[i] = installedJSON{Name: m.Name, Version: m.Version, Features: m.Features, Reason: string(m.Reason),
				InstalledAt: m.InstalledAt.UTC().Format("2006-01-02T15:04:05Z"), Depends: m.Depends}
		}
		return a.writeJSON(out)
	}
	bw := bufio.NewWriter(a.stdout)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	for _, m := range metas {
		feats := ""
		if len(m.Features) > 0 {
			feats = fmt.Sprint(m.Features)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Version, m.Reason, feats)
	}
	if err := tw.Flush(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	return nil
}
