package store

import (
	"errors"
	"fmt"
	"io/fs"
)

// ProblemKind classifies a difference between a record and the root.
type ProblemKind string

// The kinds of problems Verify reports.
const (
	Missing       ProblemKind = "missing"
	TypeChanged   ProblemKind = "type changed"
	Modified      ProblemKind = "modified"
	ModeChanged   ProblemKind = "mode changed"
	TargetChanged ProblemKind = "target changed"
	Unreadable    ProblemKind = "unreadable"
)

// Problem is one installed file that no longer matches its record.
type Problem struct {
	Package string
	Path    string
	Kind    ProblemKind
	Config  bool   // a config file: a modification is expected, not damage
	Detail  string // want and got
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s: %s: %s", p.Package, p.Path, p.Kind)
	if p.Detail != "" {
		s += " (" + p.Detail + ")"
	}
	return s
}

// Verify re-hashes the files of an installed package and reports every
// one that is missing, of another type, modified, or has another mode or
// symlink target. Directories are checked for existence and type only:
// several packages may own one, and its mode belongs to whoever made it.
func (db *DB) Verify(name string) ([]Problem, error) {
	rec, err := db.Get(name)
	if err != nil {
		return nil, err
	}
	var probs []Problem
	for _, f := range rec.Files {
		if p, bad := db.verifyFile(f); bad {
			p.Package, p.Path, p.Config = name, f.Path, f.Config
			probs = append(probs, p)
		}
	}
	return probs, nil
}

func (db *DB) verifyFile(f File) (Problem, bool) {
	st, err := db.root.Lstat(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return Problem{Kind: Missing}, true
	}
	if err != nil {
		return Problem{Kind: Unreadable, Detail: err.Error()}, true
	}
	got := fileType(st.Mode())
	if got != f.Type {
		return Problem{Kind: TypeChanged, Detail: fmt.Sprintf("want %s, got %s", f.Type, typeName(st.Mode()))}, true
	}
	switch f.Type {
	case TypeSymlink:
		target, err := db.root.Readlink(f.Path)
		if err != nil {
			return Problem{Kind: Unreadable, Detail: err.Error()}, true
		}
		if target != f.Target {
			return Problem{Kind: TargetChanged, Detail: fmt.Sprintf("want %q, got %q", f.Target, target)}, true
		}
	case TypeFile:
		if m := UnixMode(st.Mode()); m != f.Mode {
			return Problem{Kind: ModeChanged, Detail: fmt.Sprintf("want %04o, got %04o", f.Mode, m)}, true
		}
		if st.Size() != f.Size {
			return Problem{Kind: Modified, Detail: fmt.Sprintf("want %d bytes, got %d", f.Size, st.Size())}, true
		}
		sum, err := hashFile(db.root, f.Path)
		if err != nil {
			return Problem{Kind: Unreadable, Detail: err.Error()}, true
		}
		if sum != f.SHA256 {
			return Problem{Kind: Modified, Detail: fmt.Sprintf("want sha256 %s, got %s", f.SHA256, sum)}, true
		}
	}
	return Problem{}, false
}

func fileType(m fs.FileMode) FileType {
	switch {
	case m.IsRegular():
		return TypeFile
	case m.IsDir():
		return TypeDir
	case m&fs.ModeSymlink != 0:
		return TypeSymlink
	}
	return FileType(m.Type().String())
}
