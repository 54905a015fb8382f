package store

import (
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Reason says why a package is installed.
type Reason string

// The install reasons. Dependencies that no explicit package needs any more
// are orphans.
const (
	Explicit   Reason = "explicit"
	Dependency Reason = "dependency"
)

// FileType is the type of a recorded file.
type FileType string

// The recorded file types. Devices, fifos and sockets are never installed.
const (
	TypeFile    FileType = "file"
	TypeDir     FileType = "dir"
	TypeSymlink FileType = "symlink"
)

// Meta is the part of a record that queries about a package need; it is
// stored on its own line so that "is X installed" does not decode the file
// list.
type Meta struct {
	Name         string    `json:"name"`
	Version      string    `json:"version"`
	Features     []string  `json:"features,omitempty"`
	Reason       Reason    `json:"reason"`
	InstalledAt  time.Time `json:"installed_at"`
	RecipeSHA256 string    `json:"recipe_sha256,omitempty"`
	// Depends lists the names of the packages this one needs at run time,
	// so that dependents can be found without reading recipes.
	Depends []string `json:"depends,omitempty"`
}

// File is one installed file, directory or symlink.
type File struct {
	// Path is relative to ROOT, slash-separated, clean, never absolute.
	Path string   `json:"path"`
	Type FileType `json:"type"`
	// Mode holds the Unix permission bits including setuid, setgid and
	// sticky (0o4755 style), not an fs.FileMode.
	Mode   uint32 `json:"mode"`
	Size   int64  `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Target string `json:"target,omitempty"`
	Config bool   `json:"config,omitempty"`
}

// Record is everything the database knows about one installed package.
type Record struct {
	Meta
	Files []File
}

// FileMode converts Unix permission bits to an fs.FileMode.
func FileMode(unixMode uint32) fs.FileMode {
	m := fs.FileMode(unixMode & 0o777)
	if unixMode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if unixMode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if unixMode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// UnixMode converts the permission part of an fs.FileMode to Unix bits.
func UnixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// validName reports whether name can be a package name and thus a file
// name under installed/.
func validName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty package name")
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("package name %q starts with a dot", name)
	case len(name) > 200:
		return fmt.Errorf("package name %q is longer than 200 bytes", name)
	case strings.ContainsAny(name, "/\\\x00\n"):
		return fmt.Errorf("package name %q contains a slash, backslash, NUL or newline", name)
	}
	return nil
}

// validPath reports whether p is a clean relative path inside the root
// that the store may own.
func validPath(p string) error {
	switch {
	case p == "" || p == ".":
		return fmt.Errorf("empty path")
	case strings.ContainsAny(p, "\x00\n"):
		return fmt.Errorf("path %q contains NUL or newline", p)
	case path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("path %q is not clean and relative", p)
	case p == dbDir || strings.HasPrefix(p, dbDir+"/"):
		return fmt.Errorf("path %q is inside the database directory", p)
	case strings.HasPrefix(path.Base(p), tempPrefix):
		return fmt.Errorf("path %q uses the reserved prefix %q", p, tempPrefix)
	}
	return nil
}

// validate checks a record before it is written; it returns every problem.
func (r *Record) validate() []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("package %q: "+format, append([]any{r.Name}, args...)...))
	}
	if err := validName(r.Name); err != nil {
		errs = append(errs, err)
	}
	if r.Version == "" {
		add("empty version")
	}
	if r.Reason != Explicit && r.Reason != Dependency {
		add("install reason %q is neither %q nor %q", r.Reason, Explicit, Dependency)
	}
	if r.RecipeSHA256 != "" && !isSHA256(r.RecipeSHA256) {
		add("recipe sha256 %q is not 64 hex digits", r.RecipeSHA256)
	}
	seen := make(map[string]bool, len(r.Files))
	for _, f := range r.Files {
		if err := validPath(f.Path); err != nil {
			add("%v", err)
			continue
		}
		if seen[f.Path] {
			add("path %q listed twice", f.Path)
		}
		seen[f.Path] = true
		if f.Mode&^0o7777 != 0 {
			add("path %q: mode %o has bits beyond 07777", f.Path, f.Mode)
		}
		switch f.Type {
		case TypeFile:
			if !isSHA256(f.SHA256) {
				add("path %q: sha256 %q is not 64 hex digits", f.Path, f.SHA256)
			}
			if f.Size < 0 {
				add("path %q: negative size %d", f.Path, f.Size)
			}
		case TypeSymlink:
			if f.Target == "" {
				add("path %q: symlink without target", f.Path)
			}
		case TypeDir:
		default:
			add("path %q: unknown type %q", f.Path, f.Type)
		}
		if f.Config && f.Type != TypeFile {
			add("path %q: only regular files can be config files", f.Path)
		}
	}
	return errs
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
