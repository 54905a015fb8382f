package recipecmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// ownsJSON is the output of `owns --json`.
type ownsJSON struct {
	Path   string   `json:"path"`
	Owners []string `json:"owners"`
}

func newOwnsCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "owns PATH",
		Short: "Name the installed packages that own a file",
		Long: `Print the installed packages whose records list PATH, one per line.
PATH is a path of the target system (/usr/bin/foot); with --root, a host
path below the root is accepted too. Exits 1 when no package owns it.`,
		Example: `  recipe owns /usr/bin/foot
  recipe --root /mnt --json owns /etc/app.conf`,
		Args: exactArgs(1, "one path"),
		RunE: func(_ *cobra.Command, args []string) error {
			p := a.targetPath(args[0])
			var owners []string
			if a.rootExists() {
				db, err := a.openDB()
				if err != nil {
					return err
				}
				defer db.Close()
				if owners, err = db.Owner(p); err != nil {
					return fail(fmt.Errorf("owns %s: %w", p, err))
				}
			}
			if a.opts.json {
				if err := a.writeJSON(ownsJSON{Path: p, Owners: append([]string{}, owners...)}); err != nil {
					return err
				}
			} else {
				for _, o := range owners {
					fmt.Fprintln(a.stdout, o)
				}
			}
			if len(owners) == 0 {
				err := fmt.Errorf("no installed package owns %s", p)
				if a.opts.json {
					return silent(ExitFailure, err)
				}
				return fail(err)
			}
			return nil
		},
	}
}

// targetPath turns a command-line path into an absolute path of the target
// system: a host path below --root loses the root prefix, a relative path
// is taken from the target's /.
func (a *app) targetPath(p string) string {
	root := filepath.Clean(a.opts.root)
	if root != "/" {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
				return "/" + filepath.ToSlash(rel)
			}
		}
	}
	return "/" + strings.TrimPrefix(filepath.ToSlash(filepath.Clean("/"+p)), "/")
}
