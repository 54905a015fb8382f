package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/levitateos/levitate/internal/rpm"
)

// The package repository on the medium: every RPM of the closure plus
// the recipe binary packed as an RPM, with repodata written by
// internal/rpm, so that `recipe bootstrap` installs a system offline
// from the booted medium. dmsquash-live mounts the medium at
// /run/initramfs/live; the live root's recipe.conf points there.
const (
	// MediumRepo is the repository's directory in the ISO tree.
	MediumRepo = "repo"
	// LiveRepo is where the booted live system finds it.
	LiveRepo = "/run/initramfs/live/" + MediumRepo
	// RecipeConf is recipe's configuration file in the root.
	RecipeConf = "etc/recipe/recipe.conf"
	// RecipeRPMVersion is the version of the recipe RPM.
	RecipeRPMVersion = "1.0"
)

func mediumRepoStage(o Options) Stage {
	return Stage{
		Name:    StageRepo,
		Doc:     "the closure's RPMs and a recipe RPM as an rpm-md repository in the ISO tree (" + MediumRepo + "/), and " + RecipeConf + " pointing at it; the repository is reused from the cache when the packages and the recipe binary are unchanged",
		Inputs:  []string{o.path(rpmsDir), o.path(rootDir, RecipeBin)},
		Outputs: []string{o.path(treeDir, MediumRepo), o.path(rootDir, RecipeConf)},
		run:     (*builder).mediumRepo,
	}
}

func (b *builder) mediumRepo(ctx context.Context) error {
	o := b.opts
	dir := o.path(treeDir, MediumRepo)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	stamp := time.Now().Unix()
	if o.Epoch >= 0 {
		stamp = o.Epoch
	}
	key, err := b.repoKey(stamp)
	if err != nil {
		return err
	}
	b.repoCacheKey = key
	if data, ok := b.repos.entry(key); ok {
		fmt.Fprintf(b.log, "repository %s from the cache: %s\n", key, data)
		b.cached = true
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return err
		}
		if err := linkTree(dir, data); err != nil {
			return fmt.Errorf("repository from the cache: %w", err)
		}
		if b.size, err = treeSize(filepath.Join(dir, "Packages")); err != nil {
			return err
		}
	} else {
		if err := b.writeMediumRepo(ctx, dir, stamp); err != nil {
			return err
		}
		if err := b.repos.store(key, dir); err != nil {
			return err
		}
	}
	return writeRecipeConf(o.path(rootDir))
}

// writeMediumRepo writes the repository into dir: the closure's package
// files, linked, the recipe RPM, and repodata.
func (b *builder) writeMediumRepo(ctx context.Context, dir string, stamp int64) error {
	pkgDir := filepath.Join(dir, "Packages")
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return err
	}
	files := slices.Clone(b.rpms)
	self, err := writeRecipeRPM(b.opts.path(rootDir, RecipeBin), pkgDir, stamp)
	if err != nil {
		return fmt.Errorf("recipe rpm: %w", err)
	}
	var pkgs []rpm.RepoPackage
	for _, f := range append(files, self) {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := filepath.Base(f)
		dst := filepath.Join(pkgDir, name)
		if f != self {
			if err := linkOrCopy(dst, f); err != nil {
				return err
			}
		}
		p, err := rpm.ScanPackage(dst, "Packages/"+name, stamp)
		if err != nil {
			return err
		}
		pkgs = append(pkgs, p)
		b.size += p.Size
	}
	if err := rpm.WriteRepodata(dir, pkgs, rpm.RepoOptions{Revision: stamp}); err != nil {
		return err
	}
	fmt.Fprintf(b.log, "repository %s: %d packages\n", dir, len(pkgs))
	return nil
}

// writeRecipeRPM packs the static recipe binary at bin into an RPM in
// dir and returns its path.
func writeRecipeRPM(bin, dir string, stamp int64) (string, error) {
	body, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	p := &rpm.Package{
		NEVRA:       rpm.NEVRA{Name: RecipeRPM, EVR: rpm.EVR{Version: RecipeRPMVersion, Release: "1"}, Arch: "x86_64"},
		Summary:     "The LevitateOS package manager",
		Description: "recipe, built by levitateiso from the same sources as the live system's copy.",
		License:     "MIT",
		URL:         "https://github.com/levitateos/levitate",
		Vendor:      "LevitateOS",
		BuildTime:   time.Unix(stamp, 0),
		Files:       []rpm.File{{Path: "/" + RecipeBin, Mode: rpm.ModeRegular | 0o755, Body: body, MTime: uint32(stamp)}},
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-1.x86_64.rpm", RecipeRPM, RecipeRPMVersion))
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	err = p.Write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return path, nil
}

// writeRecipeConf points recipe at the medium's repository, unless the
// profile's airootfs brought its own recipe.conf.
func writeRecipeConf(root string) error {
	dst, err := RootPath(root, RecipeConf)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	conf := "# Written by levitateiso: the package repository on the live medium.\nrepo = " + LiveRepo + "\n"
	return writeAtomic(dst, []byte(conf), 0o644)
}

// linkOrCopy makes dst the same file as src: a hard link where both are
// on one file system, else a copy.
func linkOrCopy(dst, src string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	return copyFile(dst, src, 0o644)
}
