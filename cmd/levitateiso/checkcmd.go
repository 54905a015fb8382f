package main

import (
	"fmt"

	"github.com/levitateos/levitate/internal/build"
	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/profile"
	xrun "github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/source"
	"github.com/spf13/cobra"
)

// checkOptions are the flags of levitateiso check.
type checkOptions struct {
	sources          []string
	noProfileSources bool
}

func newCheckCmd(a *app) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check PROFILE [--source SRC]...",
		Short: "Validate a profile without building",
		Long: `check reports every problem of PROFILE at once, each with file and line:
unknown keys, bad values, a label GRUB or CDLABEL= would not survive,
permissions for missing files, and the host tools the build needs. When the
profile has source lines or --source is given (as for build), it also
resolves packages.txt across those sources: unknown names (with the closest
ones), unsatisfiable requirements (each naming the sources searched), and
the packages the boot modes need that the closure lacks.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("check: expected one PROFILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.check(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.sources, "source", nil, "also resolve packages.txt against this source, \"LOCATION [priority=N] [key=FILE]\" (repeatable)")
	f.BoolVar(&o.noProfileSources, "no-profile-sources", false, "ignore the profile's source lines")
	return cmd
}

func (a *app) check(cmd *cobra.Command, dir string, o checkOptions) error {
	prof, srcs, err := loadWithSources(dir, o.sources, o.noProfileSources)
	if err != nil {
		return err
	}
	var problems profile.Diagnostics
	problems = append(problems, prof.Warnings...)
	s := prof.Settings
	if len(srcs) > 0 {
		ctx := cmd.Context()
		set, err := source.OpenSet(ctx, build.Specs(srcs), cacheDir())
		if err != nil {
			return err
		}
		defer set.Close()
		reqs, err := build.Requests(prof)
		if err != nil {
			return err
		}
		c, err := closure.Resolve(build.Inputs(set), reqs)
		if err != nil {
			return err
		}
		problems = append(problems, prof.CheckClosure(build.Provides(c))...)
		fmt.Fprintf(a.stdout, "closure: %d packages from %s\n", len(c.Entries), set.ID())
	}
	problems.Sort()
	for _, d := range problems {
		fmt.Fprintln(a.stdout, d)
	}
	missing := profile.MissingTools(profile.HostTools(s.BootModes, s.Compression), xrun.LookPath)
	for _, t := range missing {
		fmt.Fprintf(a.stdout, "missing host tool: %s\n", t)
	}
	if problems.HasErrors() {
		return problems.Errors()
	}
	if len(missing) > 0 {
		return fmt.Errorf("check: %d host tools missing", len(missing))
	}
	fmt.Fprintf(a.stdout, "%s: ok\n", dir)
	return nil
}
