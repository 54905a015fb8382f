package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// txState is where a Tx is in the state machine of the package doc.
type txState int

const (
	txBegun     txState = iota // journal written, root untouched
	txPrepared                 // new files hidden next to their targets
	txCommitted                // commit mark written; finishing
	txDone                     // finished, rolled back, or crashed
)

// Tx is a running transaction. It holds the writer lock until Close.
type Tx struct {
	db    *DB
	lock  *writeLock
	j     *journal
	state txState
	// stuck is set when work stopped half-way (an injected crash or an
	// error after the commit point): the journal stays for Recover.
	stuck bool
}

// Result reports what a finished transaction did besides the plan.
type Result struct {
	ID string
	// Saved lists modified config files of removed packages, kept as
	// PATH.recipesave.
	Saved []string
	// New lists new config files installed as PATH.recipenew because the
	// user had modified PATH.
	New []string
}

// crashError is the error of a step stopped by Options.FailAt.
type crashError struct {
	step string
	err  error
}

func (e *crashError) Error() string { return fmt.Sprintf("stopped at step %q: %v", e.step, e.err) }
func (e *crashError) Unwrap() error { return e.err }

// stepper runs the FailAt hook before each step.
type stepper func(step string) error

func (s stepper) at(step string) error {
	if s == nil {
		return nil
	}
	if err := s(step); err != nil {
		return &crashError{step: step, err: err}
	}
	return nil
}

// Begin takes the writer lock, finishes or undoes an interrupted
// transaction, checks plan against the database and the root (reporting
// every conflict) and writes the journal. The root is not changed yet.
func (db *DB) Begin(ctx context.Context, plan Plan) (*Tx, error) {
	l, err := db.lock(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.begin(plan, l)
	if err != nil {
		_ = l.release()
		return nil, err
	}
	return tx, nil
}

func (db *DB) begin(plan Plan, l *writeLock) (*Tx, error) {
	step := stepper(db.opts.FailAt)
	if _, err := db.recoverLocked(step); err != nil {
		return nil, err
	}
	installed, err := db.Records()
	if err != nil {
		return nil, fmt.Errorf("installed database: %w", err)
	}
	j, err := makeJournal(db.root, plan, installed)
	if err != nil {
		return nil, err
	}
	if err := step.at("journal"); err != nil {
		return nil, err
	}
	if err := writeJournal(db.root, j, db.opts.NoSync); err != nil {
		return nil, fmt.Errorf("write journal %s: %w", db.hostPath(journalPath), err)
	}
	return &Tx{db: db, lock: l, j: j}, nil
}

// ID returns the transaction's id, which also names its temp files.
func (tx *Tx) ID() string { return tx.j.ID }

// Prepare creates the new directories and moves every staged file (and
// new symlink) to a hidden temp name next to its target. Nothing visible
// under an installed name changes yet.
func (tx *Tx) Prepare(ctx context.Context) error {
	if tx.state != txBegun {
		return nil
	}
	if err := tx.prepare(ctx); err != nil {
		if isCrash(err) {
			tx.stuck, tx.state = true, txDone
		}
		return err
	}
	tx.state = txPrepared
	return nil
}

func (tx *Tx) prepare(ctx context.Context) error {
	r, step := tx.db.root, stepper(tx.db.opts.FailAt)
	for _, d := range tx.j.Mkdirs {
		if err := step.at("mkdir " + d.Path); err != nil {
			return err
		}
		if err := r.Mkdir(d.Path, FileMode(d.Mode)); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("mkdir %s: %w", tx.db.hostPath(d.Path), err)
		}
		// Mkdir is subject to the umask.
		if err := r.Chmod(d.Path, FileMode(d.Mode)); err != nil {
			return fmt.Errorf("chmod %s: %w", tx.db.hostPath(d.Path), err)
		}
	}
	for _, o := range tx.j.Puts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step.at("stage " + o.Path); err != nil {
			return err
		}
		if err := placeTemp(r, o); err != nil {
			return fmt.Errorf("stage %s: %w", tx.db.hostPath(o.Path), err)
		}
	}
	return nil
}

func placeTemp(r *os.Root, o putOp) error {
	if err := removeIfExists(r, o.Temp); err != nil {
		return err
	}
	if o.Stage == "" {
		return r.Symlink(o.Target, o.Temp)
	}
	if err := moveFile(r, o.Stage, o.Temp); err != nil {
		return err
	}
	return r.Chmod(o.Temp, FileMode(o.Mode))
}

// Commit prepares if needed, syncs, writes the commit mark and finishes:
// renames the new files over their targets, deletes the old ones, writes
// the records and removes the journal. After the commit mark the
// transaction is durable: if finishing fails, the next writer completes it.
func (tx *Tx) Commit(ctx context.Context) (Result, error) {
	if err := tx.Prepare(ctx); err != nil {
		return Result{}, err
	}
	if tx.state != txPrepared {
		return Result{}, fmt.Errorf("transaction %s: commit after it ended", tx.j.ID)
	}
	r, step := tx.db.root, stepper(tx.db.opts.FailAt)
	err := step.at("sync")
	if err == nil {
		err = syncFS(r, tx.db.opts.NoSync)
	}
	if err == nil {
		err = step.at("commit")
	}
	if err == nil {
		err = markCommitted(r, tx.db.opts.NoSync)
	}
	if err != nil {
		if isCrash(err) {
			tx.stuck, tx.state = true, txDone
		}
		return Result{}, err
	}
	tx.state = txCommitted
	res, err := tx.db.rollForward(tx.j, step)
	tx.db.invalidate()
	tx.state = txDone
	if err != nil {
		tx.stuck = true
		return res, fmt.Errorf("transaction %s is committed but not finished (the next writer finishes it): %w", tx.j.ID, err)
	}
	return res, nil
}

// Rollback undoes a transaction that has not reached the commit point.
func (tx *Tx) Rollback() error {
	switch {
	case tx.state == txDone:
		return nil
	case tx.state == txCommitted:
		return fmt.Errorf("transaction %s: rollback after commit", tx.j.ID)
	}
	tx.state = txDone
	if err := tx.db.rollBack(tx.j, stepper(tx.db.opts.FailAt)); err != nil {
		tx.stuck = true
		return fmt.Errorf("roll back transaction %s (the next writer retries): %w", tx.j.ID, err)
	}
	return nil
}

// Close rolls back an uncommitted transaction and releases the lock. After
// a crash injected by FailAt it only releases the lock, as the death of the
// process would.
func (tx *Tx) Close() error {
	var err error
	if !tx.stuck {
		err = tx.Rollback()
	}
	if rerr := tx.lock.release(); err == nil {
		err = rerr
	}
	return err
}

func isCrash(err error) bool {
	var c *crashError
	return errors.As(err, &c)
}
