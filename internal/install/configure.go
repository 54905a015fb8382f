package install

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/run"
)

// stagedTemplates fills in the templates whose file the package stages, so
// that the recorded hash is the final content. It returns their paths.
func stagedTemplates(r *recipe.Recipe, ws *workspace) (map[string]bool, error) {
	done := make(map[string]bool)
	var root *os.Root
	for _, st := range r.Configure {
		if st.Kind != recipe.Template {
			continue
		}
		rel, err := rootPath(st.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", st.Pos, err)
		}
		if root == nil {
			if root, err = os.OpenRoot(ws.stage); err != nil {
				return nil, err
			}
			defer root.Close()
		}
		if _, err := root.Lstat(rel); err != nil {
			continue // not staged: filled in the root after the commit
		}
		if err := fillTemplate(root, rel, st.Vars); err != nil {
			return nil, fmt.Errorf("%s: template %s: %w", st.Pos, st.Path, err)
		}
		done[st.Path] = true
	}
	return done, nil
}

// configure runs r's configure forms against opts.Root after its files are
// committed; templates in done were applied in the stage already.
func configure(ctx context.Context, r *recipe.Recipe, done map[string]bool, opts *Options) error {
	if len(r.Configure) == 0 {
		return nil
	}
	root, err := os.OpenRoot(opts.Root)
	if err != nil {
		return err
	}
	defer root.Close()
	id := r.Name + " " + r.Version
	var errs []error
	for _, st := range r.Configure {
		opts.emit(Event{Package: id, Step: "configure", Detail: string(st.Kind)})
		var err error
		switch st.Kind {
		case recipe.CreateUser:
			err = createUser(root, st.Name, st.System, st.NoLogin)
		case recipe.CreateDir:
			err = createDir(root, st.Path, st.Owner)
		case recipe.Template:
			if done[st.Path] {
				continue
			}
			var rel string
			if rel, err = rootPath(st.Path); err == nil {
				err = fillTemplate(root, rel, st.Vars)
			}
		case recipe.ConfRun:
			err = runInRoot(ctx, opts, st.Cmd)
		default:
			err = fmt.Errorf("unknown configure step %q", st.Kind)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %s: %w", st.Pos, id, st.Kind, err))
		}
	}
	return joinSorted(errs)
}

// rootPath turns an absolute path of the target system into a ROOT-relative
// one, refusing anything that is not clean.
func rootPath(p string) (string, error) {
	rel := strings.TrimLeft(p, "/")
	if !strings.HasPrefix(p, "/") || rel == "" || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("path %q must be absolute and clean", p)
	}
	return rel, nil
}

func createDir(root *os.Root, p, owner string) error {
	rel, err := rootPath(p)
	if err != nil {
		return err
	}
	if err := root.MkdirAll(rel, 0o755); err != nil {
		return err
	}
	if owner == "" {
		return nil
	}
	uid, gid, err := lookupUser(root, owner)
	if err != nil {
		return err
	}
	return root.Lchown(rel, uid, gid)
}

// fillTemplate replaces {{KEY}} by its value in the file rel, atomically.
func fillTemplate(root *os.Root, rel string, vars []recipe.TemplateVar) error {
	b, err := root.ReadFile(rel)
	if err != nil {
		return err
	}
	st, err := root.Lstat(rel)
	if err != nil {
		return err
	}
	s := string(b)
	for _, v := range vars {
		s = strings.ReplaceAll(s, "{{"+v.Key+"}}", v.Value)
	}
	return writeAtomic(root, rel, []byte(s), st.Mode().Perm())
}

// writeAtomic replaces rel by data through a temp file and rename.
func writeAtomic(root *os.Root, rel string, data []byte, perm fs.FileMode) error {
	tmp := rel + ".recipe-new"
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(perm), f.Sync(), f.Close())
	if err == nil {
		err = root.Rename(tmp, rel)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// runInRoot runs a configure command inside the target system: through
// chroot(8) when the root is not "/", so that it sees the root's files and
// never the host's.
func runInRoot(ctx context.Context, opts *Options, cmd string) error {
	argv := []string{"sh", "-c", cmd}
	if opts.Root != "/" {
		argv = append([]string{"chroot", opts.Root}, argv...)
	}
	return run.Run(ctx, run.Cmd{
		Argv:   argv,
		Dir:    opts.Root,
		Env:    []string{"PREFIX=" + Prefix, "ARCH=" + archName()},
		Stdout: opts.BuildOutput,
		Stderr: opts.BuildOutput,
	})
}
