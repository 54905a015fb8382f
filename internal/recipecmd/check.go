package recipecmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/spf13/cobra"
)

func newCheckCmd(a *app) *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "check [FILE|DIR]...",
		Short: "Validate recipe files",
		Long: `Validate recipe files and print every problem as
"file:line:col: error|warning: message", sorted. A directory stands for the
*.recipe files in it; without arguments the recipe directory (--recipes) is
checked.

Exit status: 0 when there are no errors (warnings are allowed), 3 when a
file has an error, or with --strict a warning; 1 when a file cannot be read.`,
		Example: `  recipe check foot.recipe
  recipe check --strict recipes/
  recipe --json check *.recipe`,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{a.opts.recipesDir}
			}
			files, diags, err := checkArgs(args)
			if err != nil {
				return fail(err)
			}
			diags.Sort()
			return a.printCheck(files, diags, strict)
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "fail on warnings too")
	return cmd
}

// diagJSON is one diagnostic of `check --json`.
type diagJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Msg      string `json:"msg"`
}

// checkJSON is the output of `check --json`.
type checkJSON struct {
	Files       int        `json:"files"`
	Errors      int        `json:"errors"`
	Warnings    int        `json:"warnings"`
	Diagnostics []diagJSON `json:"diagnostics"`
}

func (a *app) printCheck(files []string, diags recipe.Diagnostics, strict bool) error {
	out := checkJSON{Files: len(files), Diagnostics: []diagJSON{}}
	for _, d := range diags {
		if d.Severity == recipe.Error {
			out.Errors++
		} else {
			out.Warnings++
		}
		out.Diagnostics = append(out.Diagnostics, diagJSON{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Severity: d.Severity.String(), Msg: d.Msg})
	}
	if a.opts.json {
		if err := a.writeJSON(out); err != nil {
			return err
		}
	} else {
		for _, d := range diags {
			fmt.Fprintln(a.stdout, d.String())
		}
	}
	a.verbosef("checked %d files: %d errors, %d warnings", out.Files, out.Errors, out.Warnings)
	if out.Errors > 0 || (strict && out.Warnings > 0) {
		return silent(ExitInvalid, fmt.Errorf("%d errors, %d warnings", out.Errors, out.Warnings))
	}
	return nil
}

// checkArgs decodes the files named by args and returns them with every
// diagnostic. A directory is read with recipe.LoadDir, which also reports
// a package name defined twice; other arguments are files, whatever their
// name.
func checkArgs(args []string) ([]string, recipe.Diagnostics, error) {
	var files []string
	var diags recipe.Diagnostics
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil {
			return nil, nil, err
		}
		if fi.IsDir() {
			m, err := filepath.Glob(filepath.Join(arg, "*.recipe"))
			if err != nil {
				return nil, nil, fmt.Errorf("list %s: %w", arg, err)
			}
			_, ds := recipe.LoadDir(arg)
			files = append(files, m...)
			diags = append(diags, ds...)
			continue
		}
		src, err := os.ReadFile(arg)
		if err != nil {
			return nil, nil, err
		}
		_, ds := recipe.Decode(arg, src)
		files = append(files, arg)
		diags = append(diags, ds...)
	}
	return files, diags, nil
}
