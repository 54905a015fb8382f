package recipecmd

import (
	"bufio"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/spf13/cobra"
)

// summaryJSON is one package in the output of list and search.
type summaryJSON struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Description string `json:"description"`
	File        string `json:"file"`
}

func newListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List every package of the recipe directory",
		Long: `List every valid recipe of the recipe directory: name, version and
description, sorted by name (newest version first when a name has several).
Recipe files with errors are reported on stderr and left out.`,
		Example: `  recipe list
  recipe --recipes ./recipes list --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(_ *cobra.Command, _ []string) error {
			cat, err := a.loadCatalog()
			if err != nil {
				return err
			}
			return a.printSummaries(cat.recipes)
		},
	}
}

func newSearchCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "search TEXT",
		Short: "Find packages whose name or description contains TEXT",
		Long: `Print the packages whose name or description contains TEXT, ignoring case,
in the format of list. Exits 1 when nothing matches.`,
		Example: `  recipe search wayland
  recipe search --json 'terminal emulator'`,
		Args: exactArgs(1, "one search text"),
		RunE: func(_ *cobra.Command, args []string) error {
			hits, err := a.searchDir(args[0])
			if err != nil {
				return err
			}
			if err := a.printSummaries(hits); err != nil {
				return err
			}
			if len(hits) == 0 {
				return silent(ExitFailure, fmt.Errorf("no package matches %q", args[0]))
			}
			return nil
		},
	}
}

// search returns the recipes whose name or description contains text,
// ignoring case, in the order of rs.
func search(rs []*recipe.Recipe, text string) []*recipe.Recipe {
	needle := strings.ToLower(text)
	var out []*recipe.Recipe
	for _, r := range rs {
		if containsFold(r.Name, needle) || containsFold(r.Description, needle) {
			out = append(out, r)
		}
	}
	return out
}

// containsFold reports whether s contains the lower-case needle, ignoring
// case. ASCII text, the common case, is compared without allocating.
func containsFold(s, needle string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), needle)
		}
	}
	n := len(needle)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && lower(s[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

// printSummaries prints name, version and description in columns, or JSON.
func (a *app) printSummaries(rs []*recipe.Recipe) error {
	if a.opts.json {
		out := make([]summaryJSON, len(rs))
		for i, r := range rs {
			out[i] = summaryJSON{Name: r.Name, Version: r.Version, Description: r.Description, File: r.File}
		}
		return a.writeJSON(out)
	}
	// tabwriter writes cell by cell: buffer, or a long list costs a system
	// call per cell.
	bw := bufio.NewWriterSize(a.stdout, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	for _, r := range rs {
		tw.Write([]byte(r.Name + "\t" + r.Version + "\t" + r.Description + "\n"))
	}
	if err := tw.Flush(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	return nil
}

// lower folds an ASCII upper-case letter to lower case.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
