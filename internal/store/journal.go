package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// commitMark is appended to the journal at the commit point. Anything else
// after the sealed intent (a torn write) counts as "not committed".
const commitMark = "commit\n"

// journal is the intent of a transaction, written and synced before the
// root changes. It holds everything recovery needs to undo or finish it.
type journal struct {
	ID string `json:"id"`
	// Mkdirs are the directories that did not exist at Begin, parents
	// first; they are created while preparing and removed by a rollback.
	Mkdirs []dirOp `json:"mkdirs,omitempty"`
	// Puts are the regular files and symlinks to install.
	Puts []putOp `json:"puts,omitempty"`
	// Deletes are files of removed or upgraded packages that no new record
	// owns.
	Deletes []delOp `json:"deletes,omitempty"`
	// Rmdirs are directories no package owns any more, deepest first; they
	// are removed when empty.
	Rmdirs []string `json:"rmdirs,omitempty"`
	// Records are written, Drop records removed, after the file swaps.
	Records []*Record `json:"records,omitempty"`
	Drop    []string  `json:"drop,omitempty"`
	// Stages are the staging directories, removed once committed.
	Stages []string `json:"stages,omitempty"`
}

type dirOp struct {
	Path string `json:"path"`
	Mode uint32 `json:"mode"`
}

type putOp struct {
	Path string `json:"path"` // final ROOT-relative path
	Temp string `json:"temp"` // hidden temp next to Path
	// Stage is the ROOT-relative staged file, moved to Temp while
	// preparing; empty for a symlink, which is created from Target.
	Stage  string `json:"stage,omitempty"`
	Target string `json:"target,omitempty"`
	Mode   uint32 `json:"mode"`
	Size   int64  `json:"size,omitempty"`
	// AsNew installs the file as Path.recipenew because the user modified
	// the config file at Path.
	AsNew bool `json:"as_new,omitempty"`
}

type delOp struct {
	Path string `json:"path"`
	// Save keeps a modified config file as Path.recipesave.
	Save bool `json:"save,omitempty"`
}

func (o putOp) dest() string {
	if o.AsNew {
		return o.Path + ".recipenew"
	}
	return o.Path
}

// writeJournal stores the intent atomically and durably.
func writeJournal(r *os.Root, j *journal, noSync bool) error {
	body, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("encode journal: %w", err)
	}
	return writeAtomic(r, journalPath, seal(journalMagic, body), !noSync)
}

// markCommitted appends the commit mark and syncs it: the commit point.
func markCommitted(r *os.Root, noSync bool) error {
	f, err := r.OpenFile(journalPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, err = f.Write([]byte(commitMark))
	if err == nil && !noSync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readJournal returns the pending journal, or nil when there is none.
func readJournal(r *os.Root, hostPath string) (j *journal, committed bool, err error) {
	data, err := r.ReadFile(journalPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read journal: %w", err)
	}
	body, rest, reason := open(journalMagic, data)
	if reason != "" {
		return nil, false, &CorruptError{Path: hostPath, Reason: reason + "; the transaction cannot be undone or finished automatically: inspect the root, then delete the journal"}
	}
	j = &journal{}
	if err := json.Unmarshal(body, j); err != nil {
		return nil, false, &CorruptError{Path: hostPath, Reason: err.Error()}
	}
	return j, bytes.Equal(rest, []byte(commitMark)), nil
}
