package recipecmd

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/install"
	"github.com/spf13/cobra"
)

func newRemoveCmd(a *app) *cobra.Command {
	var f changeFlags
	var ro install.RemoveOptions
	cmd := &cobra.Command{
		Use:   "remove [--cascade] [--orphans] NAME...",
		Short: "Remove installed packages",
		Long: `Remove the named packages from the root in one transaction: exactly the
files their records list, then the remove forms of their recipes. A config
file the user modified is kept as FILE.recipesave.

A package that another installed package needs is not removed: the command
names the dependents and exits 1. --cascade removes the dependents too,
--orphans also the dependency packages nothing needs any more.`,
		Example: `  recipe remove foot
  recipe --root /mnt remove --cascade zlib
  recipe remove -n --orphans app`,
		Args: minArgs(1, "at least one package name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.noJSON(cmd); err != nil {
				return err
			}
			cat, err := a.catalogFor(false)
			if err != nil {
				return err
			}
			ro.Recipes = cat.newest()
			ro.Confirm = a.confirm
			opts, done := a.engineOptions(&f, 0)
			sum, err := install.Remove(cmd.Context(), args, opts, ro)
			done()
			if err != nil {
				var de *install.DependentsError
				if errors.As(err, &de) {
					return fail(fmt.Errorf("%w (use --cascade to remove them too)", err))
				}
				return engineError(err)
			}
			if f.dryRun {
				if sum.Plan == nil || len(sum.Plan.Packages) == 0 {
					_, err := fmt.Fprintln(a.stdout, "nothing to do")
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "would remove (dry run, nothing changed):\n%s", sum.Plan.String())
				return err
			}
			_, err = fmt.Fprint(a.stdout, sum.String())
			return err
		},
	}
	f.register(cmd, false)
	cmd.Flags().BoolVar(&ro.Cascade, "cascade", false, "also remove the installed packages that depend on the named ones")
	cmd.Flags().BoolVar(&ro.Orphans, "orphans", false, "also remove dependency packages that nothing needs afterwards")
	return cmd
}

// confirm asks a recipe's (prompt) question on stderr and reads the answer
// from stdin; anything but y or yes is no, and so is end of input.
func (a *app) confirm(question string) bool {
	fmt.Fprintf(a.stderr, "%s [y/N] ", question)
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	ans := strings.ToLower(strings.TrimSpace(line))
	return ans == "y" || ans == "yes"
}
