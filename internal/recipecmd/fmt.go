package recipecmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/spf13/cobra"
)

func newFmtCmd(a *app) *cobra.Command {
	var list, write bool
	cmd := &cobra.Command{
		Use:   "fmt [-l] [-w] [FILE]...",
		Short: "Print recipe files in the canonical layout",
		Long: `Print recipe files in the canonical layout (idempotent: formatting a
formatted file changes nothing). Without FILE, standard input is formatted
to standard output.

With -l, print the names of the files whose layout differs instead.
With -w, rewrite those files in place: the new content goes to a temporary
file in the same directory, which then replaces the original atomically,
keeping its mode.

Only the syntax is checked; a file with a syntax error is reported as
file:line:col and left alone, and the exit status is 3.`,
		Example: `  recipe fmt foot.recipe
  recipe fmt -l recipes/*.recipe
  recipe fmt -w foot.recipe`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.noJSON(cmd); err != nil {
				return err
			}
			if len(args) == 0 {
				if list || write {
					return usage("-l and -w need file names")
				}
				return a.fmtStdin()
			}
			var bad int
			for _, f := range args {
				err := a.fmtFile(f, list, write)
				var el sexpr.ErrorList
				switch {
				case errors.As(err, &el):
					bad++
					for _, e := range el {
						fmt.Fprintf(a.stderr, "%s: error: %s\n", sexpr.Pos{File: f, Line: e.Pos.Line, Col: e.Pos.Col}.String(), e.Msg)
					}
				case err != nil:
					return fail(err)
				}
			}
			if bad > 0 {
				return silent(ExitInvalid, fmt.Errorf("%d files with syntax errors", bad))
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&list, "list", "l", false, "list files whose formatting differs")
	cmd.Flags().BoolVarP(&write, "write", "w", false, "rewrite files in place")
	return cmd
}

func (a *app) fmtStdin() error {
	src, err := io.ReadAll(a.stdin)
	if err != nil {
		return fail(fmt.Errorf("read standard input: %w", err))
	}
	out, err := recipe.FormatFile(src)
	if err != nil {
		var el sexpr.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				fmt.Fprintf(a.stderr, "%s: error: %s\n", sexpr.Pos{File: "<stdin>", Line: e.Pos.Line, Col: e.Pos.Col}.String(), e.Msg)
			}
			return silent(ExitInvalid, err)
		}
		return &exitError{code: ExitInvalid, err: err}
	}
	_, err = a.stdout.Write(out)
	return err
}

// fmtFile formats one file: to stdout, or with list and write as -l and -w
// say. A syntax error comes back as the sexpr.ErrorList of FormatFile.
func (a *app) fmtFile(name string, list, write bool) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	out, err := recipe.FormatFile(src)
	if err != nil {
		var el sexpr.ErrorList
		if errors.As(err, &el) {
			return el
		}
		return sexpr.ErrorList{{Msg: err.Error()}}
	}
	if !list && !write {
		_, err = a.stdout.Write(out)
		return err
	}
	if bytes.Equal(src, out) {
		return nil
	}
	if list {
		fmt.Fprintln(a.stdout, name)
	}
	if write {
		return writeAtomic(name, out)
	}
	return nil
}

// writeAtomic replaces name with data: a reader sees the old content or
// the new, never a mix. The file keeps its mode; a symbolic link stays a
// link and its target is replaced.
func writeAtomic(name string, data []byte) (err error) {
	name, err = filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	if err = tmp.Chmod(fi.Mode().Perm()); err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	if err = os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	return nil
}
