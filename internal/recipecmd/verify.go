package recipecmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/levitateos/levitate/internal/store"
	"github.com/spf13/cobra"
)

// problemJSON is one finding of `verify --json`.
type problemJSON struct {
	Package string `json:"package"`
	Path    string `json:"path"`
	Kind    string `json:"kind"`
	Config  bool   `json:"config,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// verifyJSON is the output of `verify --json`.
type verifyJSON struct {
	OK       bool          `json:"ok"`
	Checked  []string      `json:"checked"`
	Problems []problemJSON `json:"problems"`
}

func newVerifyCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "verify [NAME...]",
		Short: "Re-hash installed files and report modified or missing ones",
		Long: `Check the files of the named installed packages (every installed package
when none is named) against their records: content sha256, type, mode and
symlink target. Each difference is printed as PACKAGE: PATH: KIND (detail).
A modified config file is reported but expected; any other difference, or a
corrupt record, makes the command exit 1.`,
		Example: `  recipe verify
  recipe --root /mnt --json verify foot`,
		RunE: func(_ *cobra.Command, args []string) error {
			out := verifyJSON{OK: true, Checked: []string{}, Problems: []problemJSON{}}
			var errs []error
			if a.rootExists() {
				db, err := a.openDB()
				if err != nil {
					return err
				}
				defer db.Close()
				names := args
				if len(names) == 0 {
					metas, err := db.List()
					if err != nil {
						errs = append(errs, err)
					}
					for _, m := range metas {
						names = append(names, m.Name)
					}
				}
				for _, n := range names {
					ps, err := db.Verify(n)
					if err != nil {
						errs = append(errs, fmt.Errorf("verify %s: %w", n, err))
						continue
					}
					out.Checked = append(out.Checked, n)
					for _, p := range ps {
						out.Problems = append(out.Problems, problemJSON{Package: p.Package, Path: p.Path, Kind: string(p.Kind), Config: p.Config, Detail: p.Detail})
						if !p.Config || p.Kind != store.Modified {
							out.OK = false
						}
					}
				}
			} else if len(args) > 0 {
				errs = append(errs, fmt.Errorf("verify %s: %w", args[0], store.ErrNotInstalled))
			}
			if len(errs) > 0 {
				out.OK = false
			}
			if a.opts.json {
				if err := a.writeJSON(out); err != nil {
					return err
				}
			} else {
				for _, p := range out.Problems {
					note := ""
					if p.Config && p.Kind == string(store.Modified) {
						note = " [config file, kept]"
					}
					line := fmt.Sprintf("%s: /%s: %s", p.Package, p.Path, p.Kind)
					if p.Detail != "" {
						line += " (" + p.Detail + ")"
					}
					fmt.Fprintln(a.stdout, line+note)
				}
				for _, err := range errs {
					fmt.Fprintf(a.stderr, "recipe: %v\n", err)
				}
				if out.OK {
					fmt.Fprintf(a.stdout, "%d package(s) verified\n", len(out.Checked))
				}
			}
			if !out.OK {
				return silent(ExitFailure, errors.New("verify found problems"))
			}
			return nil
		},
	}
}

// rootExists tells whether --root exists; a missing root has nothing
// installed.
func (a *app) rootExists() bool {
	_, err := os.Stat(a.opts.root)
	return !errors.Is(err, fs.ErrNotExist)
}
