package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"

	"github.com/levitateos/levitate/internal/store"
)

// moved is one entry taken out of place for the store transaction.
type moved struct {
	rel, staged string // target-relative; staged is "" for a symlink
	link        string // the symlink's target
}

// adopt hands the files rpm installed to the store: regular files are
// moved into per-recipe stages, symlinks removed (the store makes them
// from the records), and one transaction puts everything back and
// writes the records. Before the commit point any failure puts the files
// back where rpm left them.
func adopt(ctx context.Context, target string, recs []store.Record) (err error) {
	var undo []moved
	defer func() {
		if err != nil {
			if rerr := restore(target, undo); rerr != nil {
				err = errors.Join(err, fmt.Errorf("put files back: %w", rerr))
			}
		}
	}()
	plan := store.Plan{}
	made := map[string]bool{}
	for _, rec := range recs {
		stage := path.Join(stageDir, rec.Name)
		for _, f := range rec.Files {
			src := filepath.Join(target, f.Path)
			switch f.Type {
			case store.TypeFile:
				staged := path.Join(stage, f.Path)
				dst := filepath.Join(target, staged)
				if d := filepath.Dir(dst); !made[d] {
					if err := os.MkdirAll(d, 0o755); err != nil {
						return err
					}
					made[d] = true
				}
				if err := move(src, dst); err != nil {
					return err
				}
				undo = append(undo, moved{rel: f.Path, staged: staged})
			case store.TypeSymlink:
				if err := os.Remove(src); err != nil {
					return err
				}
				undo = append(undo, moved{rel: f.Path, link: f.Target})
			}
		}
		plan.Install = append(plan.Install, store.Install{Record: rec, Stage: stage})
	}
	db, err := store.Open(target, store.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin(ctx, plan)
	if err != nil {
		return fmt.Errorf("record the installed files: %w", err)
	}
	defer tx.Close()
	if _, err := tx.Commit(ctx); err != nil {
		// After the commit mark the store finishes on its own; before it
		// the rollback has returned the files to their stages.
		return fmt.Errorf("record the installed files: %w", err)
	}
	undo = nil
	return os.RemoveAll(filepath.Join(target, stageDir))
}

// restore undoes the moves of adopt, last first.
func restore(target string, undo []moved) error {
	var errs []error
	for i := len(undo) - 1; i >= 0; i-- {
		m := undo[i]
		dst := filepath.Join(target, m.rel)
		if m.staged == "" {
			if err := os.Symlink(m.link, dst); err != nil && !os.IsExist(err) {
				errs = append(errs, err)
			}
			continue
		}
		if err := move(filepath.Join(target, m.staged), dst); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// move renames src to dst, or copies and removes it when they are on
// different file systems (a /boot of its own): the store moves files back
// the same way.
func move(src, dst string) error {
	err := os.Rename(src, dst)
	if !errors.Is(err, syscall.EXDEV) {
		return err
	}
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if err := copyFile(src, dst); err != nil {
		return err
	}
	if err := os.Chmod(dst, fi.Mode().Perm()|fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return err
	}
	return os.Remove(src)
}
