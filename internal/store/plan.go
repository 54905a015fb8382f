package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Plan is what one transaction does: install (or reinstall, or upgrade)
// some packages and remove others, all or nothing.
type Plan struct {
	Install []Install
	Remove  []string
}

// Install is one package to install. A package of the same name that is
// installed is replaced: its files that the new record does not list are
// deleted.
type Install struct {
	Record Record
	// Stage is a ROOT-relative directory holding the staged regular files:
	// Files[i] of type file is at Stage/Files[i].Path. Directories and
	// symlinks are made from the record and need not be staged. Staged
	// files are renamed into place (copied if Stage is on another
	// filesystem), so the stage should live under ROOT, e.g. in
	// var/cache/recipe. The transaction owns Stage from Begin on: Commit
	// removes it, a rollback moves the files back.
	Stage string
}

// planner turns a Plan into a journal, checking it against the
// installed records and the root.
type planner struct {
	root *os.Root
	j    *journal
	errs []error
}

func (p *planner) fail(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

// owned is one installed file with its owner.
type owned struct {
	pkg  string
	file File
}

// makeJournal checks plan against the installed records and the root and
// computes the operations. All conflicts are reported at once.
func makeJournal(r *os.Root, plan Plan, installed []*Record) (*journal, error) {
	id, err := newID()
	if err != nil {
		return nil, err
	}
	p := &planner{root: r, j: &journal{ID: id}}

	byName := make(map[string]*Record, len(installed))
	for _, rec := range installed {
		byName[rec.Name] = rec
	}
	replaced := make(map[string]bool) // installed packages that go away
	newNames := make(map[string]bool)
	for i := range plan.Install {
		in := &plan.Install[i]
		p.errs = append(p.errs, in.Record.validate()...)
		name := in.Record.Name
		if newNames[name] {
			p.fail("package %q: installed twice in one transaction", name)
		}
		newNames[name] = true
		if byName[name] != nil {
			replaced[name] = true
		}
		hasFiles := slices.ContainsFunc(in.Record.Files, func(f File) bool { return f.Type == TypeFile })
		switch {
		case in.Stage != "":
			if err := validPath(in.Stage); err != nil {
				p.fail("package %q: stage: %v", name, err)
			}
		case hasFiles:
			p.fail("package %q: regular files but no stage directory", name)
		}
	}
	for _, name := range plan.Remove {
		switch {
		case newNames[name]:
			p.fail("package %q: both installed and removed", name)
		case byName[name] == nil:
			p.fail("package %q: cannot remove: %w", name, ErrNotInstalled)
		default:
			replaced[name] = true
			p.j.Drop = append(p.j.Drop, name)
		}
	}

	// keep: files of packages that stay; old: files of packages that go.
	keep := make(map[string]owned)
	old := make(map[string]owned)
	for _, rec := range installed {
		m := keep
		if replaced[rec.Name] {
			m = old
		}
		for _, f := range rec.Files {
			m[f.Path] = owned{rec.Name, f}
		}
	}
	newFiles := make(map[string]owned)
	for i := range plan.Install {
		in := &plan.Install[i]
		rec := in.Record
		if rec.InstalledAt.IsZero() {
			rec.InstalledAt = time.Now().UTC()
		}
		p.j.Records = append(p.j.Records, &rec)
		if in.Stage != "" {
			p.j.Stages = append(p.j.Stages, in.Stage)
		}
		for _, f := range rec.Files {
			if validPath(f.Path) != nil {
				continue // reported by validate
			}
			if prev, ok := newFiles[f.Path]; ok {
				if f.Type != TypeDir || prev.file.Type != TypeDir {
					p.fail("%s: claimed by packages %q and %q", f.Path, prev.pkg, rec.Name)
				}
				continue // a directory shared by new packages is planned once
			}
			newFiles[f.Path] = owned{rec.Name, f}
			p.checkNew(in, f, keep, old)
		}
	}
	p.ancestors(newFiles)
	p.deletions(old, keep, newFiles)
	if len(p.errs) > 0 {
		return nil, joinSorted(p.errs)
	}
	slices.SortFunc(p.j.Mkdirs, func(a, b dirOp) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(p.j.Puts, func(a, b putOp) int { return strings.Compare(a.Path, b.Path) })
	for i := range p.j.Puts {
		o := &p.j.Puts[i]
		o.Temp = path.Join(path.Dir(o.Path), tempPrefix+id+"."+strconv.Itoa(i))
	}
	return p.j, nil
}

// checkNew plans one new file of in against the installed packages and
// the disk.
func (p *planner) checkNew(in *Install, f File, keep, old map[string]owned) {
	name := in.Record.Name
	if k, ok := keep[f.Path]; ok && (f.Type != TypeDir || k.file.Type != TypeDir) {
		p.fail("%s: package %q conflicts with installed package %q", f.Path, name, k.pkg)
		return
	}
	st, err := p.root.Lstat(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = nil
	case err != nil:
		p.fail("%s: package %q: %w", f.Path, name, err)
		return
	}
	if f.Type == TypeDir {
		switch {
		case st == nil:
			p.j.Mkdirs = append(p.j.Mkdirs, dirOp{Path: f.Path, Mode: f.Mode})
		case !st.IsDir():
			p.fail("%s: package %q wants a directory, the root has a %s", f.Path, name, typeName(st.Mode()))
		}
		return
	}
	op := putOp{Path: f.Path, Target: f.Target, Mode: f.Mode, Size: f.Size}
	if st != nil {
		prev, wasOwned := old[f.Path]
		switch {
		case st.IsDir():
			p.fail("%s: package %q wants a %s, the root has a directory", f.Path, name, f.Type)
			return
		case !wasOwned:
			p.fail("%s: package %q: exists in the root and no package owns it", f.Path, name)
			return
		case f.Config && prev.file.Config && st.Mode().IsRegular():
			// Keep the user's edit of a config file; install ours beside it.
			sum, err := hashFile(p.root, f.Path)
			if err != nil {
				p.fail("%s: %w", f.Path, err)
				return
			}
			op.AsNew = sum != prev.file.SHA256 && sum != f.SHA256
		}
	}
	if f.Type == TypeFile {
		op.Stage = path.Join(in.Stage, f.Path)
		sst, err := p.root.Lstat(op.Stage)
		switch {
		case err != nil:
			p.fail("%s: package %q: staged file: %w", f.Path, name, err)
		case !sst.Mode().IsRegular():
			p.fail("%s: package %q: staged file %s is a %s", f.Path, name, op.Stage, typeName(sst.Mode()))
		case sst.Size() != f.Size:
			p.fail("%s: package %q: staged file has %d bytes, the record says %d", f.Path, name, sst.Size(), f.Size)
		}
	}
	p.j.Puts = append(p.j.Puts, op)
}

// ancestors plans the missing parent directories of new paths. They are
// not owned by any package; a symlink to a directory inside the root is
// accepted as a parent.
func (p *planner) ancestors(newFiles map[string]owned) {
	seen := make(map[string]bool)
	for _, d := range p.j.Mkdirs {
		seen[d.Path] = true
	}
	for fp := range newFiles {
		for d := path.Dir(fp); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			st, err := p.root.Stat(d)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				if _, lerr := p.root.Lstat(d); lerr == nil {
					p.fail("%s: dangling symlink in the path of %s", d, fp)
					continue
				}
				p.j.Mkdirs = append(p.j.Mkdirs, dirOp{Path: d, Mode: 0o755})
			case err != nil:
				p.fail("%s: parent of %s: %w", d, fp, err)
			case !st.IsDir():
				p.fail("%s: parent of %s is a %s", d, fp, typeName(st.Mode()))
			}
		}
	}
}

// deletions plans removing the files of replaced packages that nothing
// owns afterwards. A file whose type on disk no longer matches its record
// is left alone: the store deletes only what it installed.
func (p *planner) deletions(old, keep, newFiles map[string]owned) {
	for fp, o := range old {
		if _, ok := newFiles[fp]; ok {
			continue
		}
		if _, ok := keep[fp]; ok {
			continue
		}
		if o.file.Type == TypeDir {
			p.j.Rmdirs = append(p.j.Rmdirs, fp)
			continue
		}
		st, err := p.root.Lstat(fp)
		if err != nil {
			continue // already gone, or unreachable: nothing to delete
		}
		if st.IsDir() || (o.file.Type == TypeSymlink) != (st.Mode()&fs.ModeSymlink != 0) {
			continue
		}
		del := delOp{Path: fp}
		if o.file.Config && st.Mode().IsRegular() {
			sum, err := hashFile(p.root, fp)
			if err != nil {
				p.fail("%s: %w", fp, err)
				continue
			}
			del.Save = sum != o.file.SHA256
		}
		p.j.Deletes = append(p.j.Deletes, del)
	}
	slices.SortFunc(p.j.Deletes, func(a, b delOp) int { return strings.Compare(a.Path, b.Path) })
	// Reverse order removes children before their parents.
	slices.Sort(p.j.Rmdirs)
	slices.Reverse(p.j.Rmdirs)
}

func hashFile(r *os.Root, name string) (string, error) {
	f, err := r.Open(name)
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

func typeName(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "file"
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	default:
		return "special file (" + m.Type().String() + ")"
	}
}

func newID() (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("transaction id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
