package recipecmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// DefaultRecipesDir is where recipes live on an installed system.
const DefaultRecipesDir = "/usr/share/recipe/recipes"

// RecipesDirEnv names the environment variable that overrides
// DefaultRecipesDir; --recipes overrides both.
const RecipesDirEnv = "RECIPE_DIR"

// globals holds the options every command accepts.
type globals struct {
	recipesDir string
	root       string
	verbose    bool
	json       bool
}

// app is what a command needs from the process: its streams and the
// global options. Commands receive it explicitly; there is no package state.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	opts           globals
}

// Run executes the recipe program with args (without the program name) and
// returns its exit code. It never calls os.Exit, so tests run it in-process.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	code := exitCode(err)
	if err != nil && !isQuiet(err) {
		fmt.Fprintf(stderr, "recipe: %v\n", err)
		if code == ExitUsage {
			fmt.Fprintln(stderr, "run 'recipe -h' or 'recipe COMMAND -h' for usage")
		}
	}
	return code
}

func isQuiet(err error) bool {
	var e *exitError
	return errors.As(err, &e) && e.quiet
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "recipe",
		Short: "Install, remove and query LevitateOS packages described by S-expression recipes",
		Long: `recipe reads the S-expression recipes of LevitateOS packages.

It lists, shows, searches and checks recipes, prints dependency trees,
formats recipe files canonically, and installs, upgrades, removes and
verifies packages under --root, one transaction at a time, recorded in
ROOT/var/lib/recipe. bootstrap, fstab and chroot install a new system
(like pacstrap, genfstab and arch-chroot).

Exit codes: 0 ok, 1 failure (unknown package, unsatisfiable plan, hash
mismatch, modified files found by verify, I/O error), 2 usage error,
3 invalid recipes (check, fmt).`,
		Version:           buildVersion(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: err}
	})

	dir := DefaultRecipesDir
	if v, ok := os.LookupEnv(RecipesDirEnv); ok && v != "" {
		dir = v
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.opts.recipesDir, "recipes", dir, "directory of *.recipe files (env "+RecipesDirEnv+")")
	pf.StringVar(&a.opts.root, "root", "/", "root of the target system")
	pf.BoolVarP(&a.opts.verbose, "verbose", "v", false, "print warnings about the recipe directory and timings on stderr")
	pf.BoolVar(&a.opts.json, "json", false, "print JSON (list, info, deps, search, check, install -n, upgrade -n, owns, verify)")

	root.AddCommand(
		a.withInstalled(newListCmd(a)),
		newInfoCmd(a),
		newDepsCmd(a),
		newSearchCmd(a),
		newCheckCmd(a),
		newFmtCmd(a),
		newInstallCmd(a),
		newRemoveCmd(a),
		newUpgradeCmd(a),
		newOwnsCmd(a),
		newVerifyCmd(a),
		newBootstrapCmd(a),
		newFstabCmd(a),
		newChrootCmd(a),
	)
	return root
}

// buildVersion reports the module version stamped by the Go toolchain, or
// "devel" for a build from a work tree.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// exactArgs is cobra.ExactArgs with a usage exit code and a clearer message.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usage("expected %s, got %d arguments", what, len(args))
		}
		return nil
	}
}

// minArgs requires at least n arguments.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usage("expected %s", what)
		}
		return nil
	}
}

// noJSON rejects --json on commands whose output is not for machines.
func (a *app) noJSON(cmd *cobra.Command) error {
	if a.opts.json {
		return usage("%s does not support --json", cmd.Name())
	}
	return nil
}
