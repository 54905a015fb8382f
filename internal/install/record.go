package install

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/archive"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/store"
)

// isSharedDir reports whether p is a directory of the file system hierarchy
// that every package uses. Those are never recorded, so that removing a
// package never removes them; a package's own directories (usr/share/foo)
// are recorded.
func isSharedDir(p string) bool {
	switch p {
	case "bin", "sbin", "lib", "lib64", "etc", "opt", "srv", "var", "var/lib", "var/cache", "var/log", "var/spool",
		"usr", "usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "usr/libexec", "usr/include", "usr/share",
		"usr/share/man", "usr/share/doc", "usr/share/licenses", "usr/share/info", "usr/share/applications",
		"usr/share/icons", "usr/share/pixmaps", "usr/share/locale",
		"usr/lib/pkgconfig", "usr/lib/systemd", "usr/lib/systemd/system", "usr/lib/systemd/user",
		"usr/share/bash-completion", "usr/share/bash-completion/completions",
		"usr/share/zsh", "usr/share/zsh/site-functions", "usr/share/fish", "usr/share/fish/vendor_completions.d",
		"etc/systemd", "etc/systemd/system", "etc/profile.d", "usr/local", "usr/local/bin", "usr/local/lib":
		return true
	}
	return strings.HasPrefix(p, "usr/share/man/man") && len(p) == len("usr/share/man/man")+1
}

// recordStage describes every entry of the stage as a store.Record. Files
// under etc/ and the to-config destinations are config files. A regular
// file's digest comes from known (by stage path) when its size agrees, and
// is read back from the file otherwise.
func recordStage(stage string, meta store.Meta, config map[string]bool, known map[string]archive.Sum) (store.Record, int64, error) {
	rec := store.Record{Meta: meta}
	root, err := os.OpenRoot(stage)
	if err != nil {
		return rec, 0, err
	}
	defer root.Close()
	var total int64
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := store.File{Path: p, Mode: store.UnixMode(info.Mode())}
		switch {
		case d.IsDir():
			if isSharedDir(p) {
				return nil
			}
			f.Type = store.TypeDir
		case d.Type()&fs.ModeSymlink != 0:
			f.Type = store.TypeSymlink
			f.Mode = 0o777
			if f.Target, err = root.Readlink(p); err != nil {
				return err
			}
		case d.Type().IsRegular():
			f.Type, f.Size = store.TypeFile, info.Size()
			f.Config = config[p] || strings.HasPrefix(p, "etc/")
			if s, ok := known[p]; ok && s.Size == f.Size {
				f.SHA256 = hex.EncodeToString(s.SHA256[:])
			} else if f.SHA256, err = hashIn(root, p); err != nil {
				return err
			}
			total += f.Size
		default:
			return fmt.Errorf("%s: %s: special files are not installed", stage, p)
		}
		rec.Files = append(rec.Files, f)
		return nil
	})
	return rec, total, err
}

func hashIn(root *os.Root, p string) (string, error) {
	f, err := root.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// runtimeDeps returns the names of r's run-time dependencies that apply with
// the features enabled, sorted: the store keeps them to answer "who needs
// this" without the recipes.
func runtimeDeps(r *recipe.Recipe, features []string) []string {
	var out []string
	for _, d := range r.Deps {
		if d.Kind != recipe.Runtime || !applies(d.If, features) {
			continue
		}
		out = append(out, d.Name)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func applies(cond string, features []string) bool {
	switch {
	case cond == "":
		return true
	case strings.HasPrefix(cond, "!"):
		return !slices.Contains(features, cond[1:])
	default:
		return slices.Contains(features, cond)
	}
}
