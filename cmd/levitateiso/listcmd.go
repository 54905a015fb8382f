package main

import (
	"fmt"
	"sort"

	"github.com/levitateos/levitate/internal/build"
	"github.com/levitateos/levitate/internal/source"
	"github.com/spf13/cobra"
)

func newListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list-packages SRC...",
		Short: "List the packages of ISOs, RPM directories or repositories",
		Long: `list-packages prints every package of SRC as NAME<TAB>VERSION-RELEASE.ARCH<TAB>SIZE,
sorted by name, read from its repodata (or from the RPM headers of a plain
directory). With several sources a fourth column names the source of each
line.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("list-packages: expected at least one SRC")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs, err := parseSources(args)
			if err != nil {
				return err
			}
			set, err := source.OpenSet(cmd.Context(), build.Specs(srcs), cacheDir())
			if err != nil {
				return err
			}
			defer set.Close()
			for _, m := range set.Members() {
				pkgs := m.Index.Packages()
				sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].NEVRA.String() < pkgs[j].NEVRA.String() })
				for _, p := range pkgs {
					fmt.Fprintf(a.stdout, "%s\t%s.%s\t%d", p.Name, p.EVR, p.Arch, p.Size)
					if len(srcs) > 1 {
						fmt.Fprintf(a.stdout, "\t%s", m.Spec.ID)
					}
					fmt.Fprintln(a.stdout)
				}
			}
			return nil
		},
	}
}
