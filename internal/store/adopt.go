package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"time"
)

// Adopt records packages whose files are already in place under the root,
// put there by another tool (rpm, while bootstrapping a system). No file
// is moved or changed: the transaction only writes records.
//
// Under the writer lock, after finishing or undoing an interrupted
// transaction, it checks every record and every file, reporting every
// problem at once: an invalid record, a package already installed or
// adopted twice, a path (other than a directory) claimed by an installed
// package or by two adopted ones, a path missing from the root, or one
// whose type differs from the record, or a regular file whose size does.
// Contents are not hashed: the sha256 values are the caller's word, and
// Verify checks them. Then it runs the commit half of a transaction: the
// journal with the records, a syncfs so that the files the records name
// are on disk before the commit mark, the mark, the records, the end.
func (db *DB) Adopt(ctx context.Context, recs []Record) (err error) {
	l, err := db.lock(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.release(); err == nil {
			err = rerr
		}
	}()
	step := stepper(db.opts.FailAt)
	if _, err := db.recoverLocked(step); err != nil {
		return err
	}
	installed, err := db.Records()
	if err != nil {
		return fmt.Errorf("installed database: %w", err)
	}
	j, err := adoptJournal(ctx, db.root, recs, installed)
	if err != nil {
		return err
	}
	if err := step.at("journal"); err != nil {
		return err
	}
	if err := writeJournal(db.root, j, db.opts.NoSync); err != nil {
		return fmt.Errorf("write journal %s: %w", db.hostPath(journalPath), err)
	}
	err = step.at("sync")
	if err == nil {
		err = syncFS(db.root, db.opts.NoSync)
	}
	if err == nil {
		err = step.at("commit")
	}
	if err == nil {
		err = markCommitted(db.root, db.opts.NoSync)
	}
	if err != nil {
		// Before the mark the next writer removes the journal: nothing
		// else was written.
		return err
	}
	_, err = db.rollForward(j, step)
	db.invalidate()
	if err != nil {
		return fmt.Errorf("adoption %s is committed but not finished (the next writer finishes it): %w", j.ID, err)
	}
	return nil
}

// adoptJournal checks recs against the installed records and the root and
// returns a journal that only writes records.
func adoptJournal(ctx context.Context, r *os.Root, recs []Record, installed []*Record) (*journal, error) {
	id, err := newID()
	if err != nil {
		return nil, err
	}
	j := &journal{ID: id}
	byName := make(map[string]bool, len(installed))
	owners := make(map[string]owned)
	for _, rec := range installed {
		byName[rec.Name] = true
		for _, f := range rec.Files {
			owners[f.Path] = owned{rec.Name, f}
		}
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	adopted := make(map[string]bool, len(recs))
	var check []owned
	now := time.Now().UTC()
	for i := range recs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec := recs[i]
		errs = append(errs, rec.validate()...)
		switch {
		case byName[rec.Name]:
			fail("package %q: already installed", rec.Name)
		case adopted[rec.Name]:
			fail("package %q: adopted twice in one transaction", rec.Name)
		}
		adopted[rec.Name] = true
		if rec.InstalledAt.IsZero() {
			rec.InstalledAt = now
		}
		j.Records = append(j.Records, &rec)
		for _, f := range rec.Files {
			if validPath(f.Path) != nil {
				continue // reported by validate
			}
			if o, ok := owners[f.Path]; ok && (f.Type != TypeDir || o.file.Type != TypeDir) {
				fail("%s: package %q conflicts with package %q", f.Path, rec.Name, o.pkg)
				continue
			}
			owners[f.Path] = owned{rec.Name, f}
			check = append(check, owned{rec.Name, f})
		}
	}
	errs = append(errs, checkInPlace(r, check)...)
	if len(errs) > 0 {
		return nil, joinSorted(errs)
	}
	return j, nil
}

// checkInPlace compares the entries in the root with their records. It
// opens each parent directory once and looks up base names in it: os.Root
// walks a path one component at a time, which for the 12,000 files of a
// bootstrap would be most of Adopt's time.
func checkInPlace(r *os.Root, files []owned) []error {
	byDir := make(map[string][]owned)
	for _, o := range files {
		d := path.Dir(o.file.Path)
		byDir[d] = append(byDir[d], o)
	}
	var errs []error
	for dir, list := range byDir {
		sub, err := r.OpenRoot(dir)
		for _, o := range list {
			var st fs.FileInfo
			lerr := err
			if lerr == nil {
				st, lerr = sub.Lstat(path.Base(o.file.Path))
			}
			if err := compareInPlace(o.file, st, lerr); err != nil {
				errs = append(errs, fmt.Errorf("%s: package %q: %w", o.file.Path, o.pkg, err))
			}
		}
		if sub != nil {
			sub.Close()
		}
	}
	return errs
}

// compareInPlace compares the result of an Lstat of f.Path with f.
func compareInPlace(f File, st fs.FileInfo, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("not in the root")
	case err != nil:
		return err
	case fileType(st.Mode()) != f.Type:
		return fmt.Errorf("the record has a %s, the root a %s", f.Type, typeName(st.Mode()))
	case f.Type == TypeFile && st.Size() != f.Size:
		return fmt.Errorf("the record has %d bytes, the root %d", f.Size, st.Size())
	}
	return nil
}
