package store

import (
	"context"
	"fmt"
	"os"
	"path"
	"strings"
)

// Recovered says what Recover did.
type Recovered struct {
	ID string // the interrupted transaction, "" when there was none
	// Completed is true when it had passed the commit point and was
	// finished, false when it was rolled back.
	Completed bool
}

// Recover takes the writer lock and finishes or undoes an interrupted
// transaction; Begin does the same first. It is idempotent: a recovery that
// is itself interrupted is simply run again.
func (db *DB) Recover(ctx context.Context) (Recovered, error) {
	l, err := db.lock(ctx)
	if err != nil {
		return Recovered{}, err
	}
	rec, err := db.recoverLocked(stepper(db.opts.FailAt))
	if rerr := l.release(); err == nil {
		err = rerr
	}
	return rec, err
}

func (db *DB) recoverLocked(step stepper) (Recovered, error) {
	if err := db.cleanTemps(); err != nil {
		return Recovered{}, err
	}
	j, committed, err := readJournal(db.root, db.hostPath(journalPath))
	if err != nil || j == nil {
		return Recovered{}, err
	}
	rec := Recovered{ID: j.ID, Completed: committed}
	if committed {
		_, err = db.rollForward(j, step)
	} else {
		err = db.rollBack(j, step)
	}
	db.invalidate()
	if err != nil {
		return rec, fmt.Errorf("recover transaction %s: %w", j.ID, err)
	}
	return rec, nil
}

// cleanTemps removes the temp files of interrupted atomic writes in the
// database directory. Only a lock holder may call it.
func (db *DB) cleanTemps() error {
	for _, dir := range []string{dbDir, path.Join(dbDir, installedDir)} {
		f, err := db.root.Open(dir)
		if err != nil {
			return fmt.Errorf("clean %s: %w", db.hostPath(dir), err)
		}
		names, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			return fmt.Errorf("clean %s: %w", db.hostPath(dir), err)
		}
		for _, n := range names {
			if strings.HasPrefix(n, tempPrefix) {
				if err := removeIfExists(db.root, path.Join(dir, n)); err != nil {
					return fmt.Errorf("clean: %w", err)
				}
			}
		}
	}
	return nil
}

// rollForward finishes a committed transaction. Every step checks the
// disk before acting, so running it again after an interruption at any
// point is harmless.
func (db *DB) rollForward(j *journal, step stepper) (Result, error) {
	r := db.root
	res := Result{ID: j.ID}
	for _, o := range j.Puts {
		if err := step.at("swap " + o.Path); err != nil {
			return res, err
		}
		ok, err := exists(r, o.Temp)
		if err == nil && ok {
			err = r.Rename(o.Temp, o.dest())
		}
		if err != nil {
			return res, fmt.Errorf("install %s: %w", db.hostPath(o.Path), err)
		}
		if o.AsNew {
			res.New = append(res.New, o.dest())
		}
	}
	for _, d := range j.Deletes {
		if err := step.at("delete " + d.Path); err != nil {
			return res, err
		}
		var err error
		if d.Save {
			var ok bool
			if ok, err = exists(r, d.Path); err == nil && ok {
				err = r.Rename(d.Path, d.Path+".recipesave")
			}
			res.Saved = append(res.Saved, d.Path+".recipesave")
		} else {
			err = removeIfExists(r, d.Path)
		}
		if err != nil {
			return res, fmt.Errorf("delete %s: %w", db.hostPath(d.Path), err)
		}
	}
	for _, rec := range j.Records {
		if err := step.at("record " + rec.Name); err != nil {
			return res, err
		}
		data, err := encodeRecord(rec)
		if err == nil {
			// Durability comes from the syncfs below, before the journal
			// goes: one flush instead of two fsyncs per record.
			err = writeAtomic(r, recordPath(rec.Name), data, false)
		}
		if err != nil {
			return res, fmt.Errorf("write record %s: %w", db.hostPath(recordPath(rec.Name)), err)
		}
	}
	for _, name := range j.Drop {
		if err := step.at("drop " + name); err != nil {
			return res, err
		}
		if err := removeIfExists(r, recordPath(name)); err != nil {
			return res, fmt.Errorf("remove record: %w", err)
		}
	}
	for _, d := range j.Rmdirs {
		if err := step.at("rmdir " + d); err != nil {
			return res, err
		}
		if err := removeEmptyDir(r, d); err != nil {
			return res, fmt.Errorf("remove directory %s: %w", db.hostPath(d), err)
		}
	}
	for _, s := range j.Stages {
		if err := step.at("remove-stage " + s); err != nil {
			return res, err
		}
		if err := r.RemoveAll(s); err != nil {
			return res, fmt.Errorf("remove stage %s: %w", db.hostPath(s), err)
		}
	}
	return res, db.endJournal(step)
}

// rollBack undoes a transaction before its commit point: the hidden temps
// go back to the stage (or away), the new directories are removed.
func (db *DB) rollBack(j *journal, step stepper) error {
	r := db.root
	for i := len(j.Puts) - 1; i >= 0; i-- {
		o := j.Puts[i]
		if err := step.at("undo-put " + o.Path); err != nil {
			return err
		}
		ok, err := exists(r, o.Temp)
		if err == nil && ok {
			err = restoreTemp(r, o)
		}
		if err != nil {
			return fmt.Errorf("undo %s: %w", db.hostPath(o.Path), err)
		}
	}
	for i := len(j.Mkdirs) - 1; i >= 0; i-- {
		d := j.Mkdirs[i].Path
		if err := step.at("undo-mkdir " + d); err != nil {
			return err
		}
		if err := removeEmptyDir(r, d); err != nil {
			return fmt.Errorf("undo mkdir %s: %w", db.hostPath(d), err)
		}
	}
	return db.endJournal(step)
}

// restoreTemp moves a prepared file back to its stage, or removes it when
// the stage still has it (a copy across filesystems) or it is a symlink.
func restoreTemp(r *os.Root, o putOp) error {
	if o.Stage != "" {
		ok, err := exists(r, o.Stage)
		if err != nil {
			return err
		}
		if !ok {
			return r.Rename(o.Temp, o.Stage)
		}
	}
	return r.Remove(o.Temp)
}

// endJournal makes everything before it durable, then drops the journal:
// the end of the transaction.
func (db *DB) endJournal(step stepper) error {
	if err := step.at("sync-end"); err != nil {
		return err
	}
	if err := syncFS(db.root, db.opts.NoSync); err != nil {
		return err
	}
	if err := step.at("end"); err != nil {
		return err
	}
	if err := removeIfExists(db.root, journalPath); err != nil {
		return fmt.Errorf("remove journal: %w", err)
	}
	return syncDir(db.root, dbDir, db.opts.NoSync)
}
