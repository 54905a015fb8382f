package main

import (
	"fmt"
	"sort"

	"github.com/levitateos/levitate/internal/source"
	"github.com/spf13/cobra"
)

func newListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list-packages SRC",
		Short: "List the packages of an ISO, RPM directory or repository",
		Long: `list-packages prints every package of SRC as NAME<TAB>VERSION-RELEASE.ARCH<TAB>SIZE,
sorted by name, read from its repodata (or from the RPM headers of a plain
directory).`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("list-packages: expected one SRC, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := source.Open(ctx, args[0], cacheDir())
			if err != nil {
				return err
			}
			defer s.Close()
			ix, err := s.Index(ctx)
			if err != nil {
				return err
			}
			pkgs := ix.Packages()
			sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].NEVRA.String() < pkgs[j].NEVRA.String() })
			for _, p := range pkgs {
				fmt.Fprintf(a.stdout, "%s\t%s.%s\t%d\n", p.Name, p.EVR, p.Arch, p.Size)
			}
			return nil
		},
	}
}
