package build

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/run"
)

// Where the recipe tool and its recipes go in the root.
const (
	RecipeBin  = "usr/bin/recipe"
	RecipesDst = "usr/share/recipe/recipes"
)

func overlayStage(o Options) Stage {
	in := []string{filepath.Join(o.Profile.Dir, profile.OverlayDir)}
	tools := []string(nil)
	if o.Recipe != "" {
		in = append(in, o.Recipe)
	} else {
		tools = []string{"go"}
	}
	if o.Settings.RecipesDir != "" {
		in = append(in, o.Settings.RecipesDir)
	}
	return Stage{
		Name:    StageOverlay,
		Doc:     "airootfs (owner root, file-permissions), identity files, recipe and recipes",
		Inputs:  in,
		Outputs: []string{o.path(rootDir)},
		Tools:   tools,
		run:     (*builder).overlay,
	}
}

// RecipeBuildArgv returns the command that builds the static recipe
// binary at out; it runs in the module directory with CGO_ENABLED=0.
func RecipeBuildArgv(out string) []string {
	return []string{"go", "build", "-trimpath", "-o", out, "./cmd/recipe"}
}

func (b *builder) overlay(ctx context.Context) error {
	o := b.opts
	root := o.path(rootDir)
	if err := ApplyOverlay(o.Profile, root); err != nil {
		return err
	}
	if err := ApplyPermissions(o.Settings.Permissions, root); err != nil {
		return err
	}
	if err := WriteIdentity(&o.Settings, root); err != nil {
		return err
	}
	bin := o.Recipe
	if bin == "" {
		bin = o.path("recipe")
		c := b.cmd(RecipeBuildArgv(bin)...)
		c.Dir, c.Env = o.ModuleDir, []string{"CGO_ENABLED=0"}
		if err := run.Run(ctx, c); err != nil {
			return err
		}
	}
	dst, err := RootPath(root, RecipeBin)
	if err == nil {
		err = copyFile(dst, bin, 0o755)
	}
	if err != nil {
		return err
	}
	if d := o.Settings.RecipesDir; d != "" {
		dst, err := RootPath(root, RecipesDst)
		if err == nil {
			err = copyTree(dst, d)
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(b.log, "overlay: %d entries, %d permissions\n", len(o.Profile.Overlay), len(o.Settings.Permissions))
	return nil
}

// ApplyOverlay copies the profile's airootfs entries onto root at the
// same relative paths, owned by root, with their modes.
func ApplyOverlay(p *profile.Profile, root string) error {
	for _, e := range p.Overlay {
		src := filepath.Join(p.Dir, profile.OverlayDir, e.Path)
		dst, err := RootPath(root, e.Path)
		if err != nil {
			return fmt.Errorf("overlay %s: %w", e.Path, err)
		}
		switch e.Kind {
		case profile.Dir:
			err = os.MkdirAll(dst, 0o755)
			if err == nil {
				err = os.Chmod(dst, e.Mode.Perm())
			}
		case profile.File:
			err = copyFile(dst, src, e.Mode.Perm())
		case profile.Symlink:
			err = replaceWithSymlink(dst, e.Target)
		}
		if err == nil {
			err = os.Lchown(dst, 0, 0)
		}
		if err != nil {
			return fmt.Errorf("overlay %s: %w", e.Path, err)
		}
	}
	return nil
}

// WriteIdentity writes the profile's hostname and os-release into root;
// /etc/os-release becomes a link to /usr/lib/os-release, as the release
// packages make it.
func WriteIdentity(s *profile.Settings, root string) error {
	for rel, data := range s.IdentityFiles() {
		dst, err := RootPath(root, rel)
		if err != nil {
			return fmt.Errorf("identity: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		os.Remove(dst) // it may be a symlink into the package's tree
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return fmt.Errorf("identity: %w", err)
		}
		if rel == "usr/lib/os-release" {
			link, err := RootPath(root, "etc/os-release")
			if err == nil {
				err = replaceWithSymlink(link, profile.OSReleaseLink)
			}
			if err != nil {
				return fmt.Errorf("identity: %w", err)
			}
		}
	}
	return nil
}

func replaceWithSymlink(dst, target string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.Symlink(target, dst)
}

// copyFile replaces dst with a copy of src with mode.
func copyFile(dst, src string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode)
}

// copyTree copies the regular files and directories under src to dst.
func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type().IsRegular() && !strings.HasPrefix(d.Name(), "."):
			return copyFile(to, p, 0o644)
		}
		return nil
	})
}
