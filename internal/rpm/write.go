package rpm

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/google/rpmpack"
)

// Unix file type bits as they appear in RPM's FILEMODES.
const (
	ModeTypeMask uint32 = 0o170000
	ModeDir      uint32 = 0o040000
	ModeRegular  uint32 = 0o100000
	ModeSymlink  uint32 = 0o120000
)

// Header tags that rpmpack has no field for; we set them as custom tags.
const (
	tagProvideName     = 1047
	tagRequireFlags    = 1048
	tagRequireName     = 1049
	tagRequireVersion  = 1050
	tagConflictFlags   = 1053
	tagConflictName    = 1054
	tagConflictVersion = 1055
	tagObsoleteName    = 1090
	tagProvideFlags    = 1112
	tagProvideVersion  = 1113
	tagObsoleteFlags   = 1114
	tagObsoleteVersion = 1115
	tagRecommendName   = 5046
	tagRecommendVer    = 5047
	tagRecommendFlags  = 5048
	tagFileCaps        = 5010
)

// File is one entry of a package's payload.
type File struct {
	// Path is absolute ("/usr/bin/bash").
	Path string
	// Mode is the full st_mode: type bits (ModeDir, ModeRegular,
	// ModeSymlink) plus permission, setuid, setgid and sticky bits.
	Mode uint32
	// Body is the content of a regular file.
	Body []byte
	// LinkTarget is the target of a symlink.
	LinkTarget string
	// Owner and Group are names, as RPM stores them; empty means root.
	Owner, Group string
	// MTime is seconds since the epoch.
	MTime uint32
	// Config marks %config(noreplace).
	Config bool
	// Ghost marks %ghost: owned, but not in the payload.
	Ghost bool
	// Caps is a file capability set in cap_from_text(3) form, or "".
	Caps string
}

// IsDir reports whether f is a directory.
func (f File) IsDir() bool { return f.Mode&ModeTypeMask == ModeDir }

// IsSymlink reports whether f is a symbolic link.
func (f File) IsSymlink() bool { return f.Mode&ModeTypeMask == ModeSymlink }

// Scripts are a package's scriptlets, run by /bin/sh.
type Scripts struct {
	Pretrans, Pre, Post, Preun, Postun, Posttrans string
}

// Package is everything needed to write one binary RPM.
type Package struct {
	NEVRA
	Summary, Description, License, URL, Vendor, Packager, Group string
	// BuildTime is written as the BUILDTIME tag; zero omits it.
	BuildTime time.Time
	// Provides need not list the package itself: Write adds
	// "name = E:V-R".
	Requires, Provides, Conflicts, Obsoletes, Recommends []Dep
	Files                                                []File
	Scripts                                              Scripts
	// Compressor is an rpmpack compressor setting ("zstd", "gzip:6", ...);
	// empty means zstd.
	Compressor string
}

// Write writes p as an RPM file. The output depends only on p: the same
// Package gives the same bytes.
func (p *Package) Write(w io.Writer) error {
	if err := p.validate(); err != nil {
		return err
	}
	comp := p.Compressor
	if comp == "" {
		comp = "zstd"
	}
	epoch := p.Epoch
	if epoch == 0 {
		epoch = rpmpack.NoEpoch
	}
	r, err := rpmpack.NewRPM(rpmpack.RPMMetaData{
		Name: p.Name, Version: p.Version, Release: p.Release, Epoch: epoch,
		Arch: p.Arch, Summary: p.Summary, Description: p.Description,
		Licence: p.License, URL: p.URL, Vendor: p.Vendor, Packager: p.Packager,
		Group: p.Group, BuildHost: "levitate", BuildTime: p.BuildTime,
		Compressor: comp,
	})
	if err != nil {
		return fmt.Errorf("rpm %s: %w", p.NEVRA, err)
	}
	var caps []string
	for _, f := range p.sortedFiles() {
		r.AddFile(toRPMFile(f))
		caps = append(caps, f.Caps)
	}
	if hasNonEmpty(caps) {
		r.AddCustomTag(tagFileCaps, rpmpack.EntryStringSlice(caps))
	}
	r.AddPretrans(p.Scripts.Pretrans)
	r.AddPrein(p.Scripts.Pre)
	r.AddPostin(p.Scripts.Post)
	r.AddPreun(p.Scripts.Preun)
	r.AddPostun(p.Scripts.Postun)
	r.AddPosttrans(p.Scripts.Posttrans)

	// rpmpack's own self-provide drops the epoch; we write all relations
	// ourselves so that epochs, pre-requirement bits and rpmlib()
	// features are exactly what rpmbuild would write.
	setDeps(r, tagProvideName, tagProvideVersion, tagProvideFlags, p.allProvides())
	setDeps(r, tagRequireName, tagRequireVersion, tagRequireFlags, p.allRequires(comp))
	setDeps(r, tagConflictName, tagConflictVersion, tagConflictFlags, p.Conflicts)
	setDeps(r, tagObsoleteName, tagObsoleteVersion, tagObsoleteFlags, p.Obsoletes)
	setDeps(r, tagRecommendName, tagRecommendVer, tagRecommendFlags, p.Recommends)
	if err := r.Write(w); err != nil {
		return fmt.Errorf("rpm %s: %w", p.NEVRA, err)
	}
	return nil
}

func (p *Package) validate() error {
	var bad []string
	if p.Name == "" || strings.ContainsAny(p.Name, " \t\n/") {
		bad = append(bad, fmt.Sprintf("bad name %q", p.Name))
	}
	for _, s := range []string{p.Version, p.Release} {
		if s == "" || strings.ContainsAny(s, "- \t\n:") {
			bad = append(bad, fmt.Sprintf("bad version or release %q", s))
		}
	}
	if p.Arch == "" {
		bad = append(bad, "empty arch")
	}
	seen := map[string]bool{}
	for _, f := range p.Files {
		if !strings.HasPrefix(f.Path, "/") || f.Path == "/" {
			bad = append(bad, fmt.Sprintf("file path %q is not absolute", f.Path))
		}
		if seen[f.Path] {
			bad = append(bad, fmt.Sprintf("file %q listed twice", f.Path))
		}
		seen[f.Path] = true
	}
	if len(bad) > 0 {
		return fmt.Errorf("rpm %s: %s", p.NEVRA, strings.Join(bad, "; "))
	}
	return nil
}

func (p *Package) sortedFiles() []File {
	fs := append([]File(nil), p.Files...)
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
	return fs
}

func (p *Package) allProvides() []Dep {
	self := Dep{Name: p.Name, Flags: FlagEqual, EVR: p.EVR}
	out := []Dep{self}
	for _, d := range p.Provides {
		if d != self {
			out = append(out, d)
		}
	}
	return out
}

// allRequires adds the rpmlib() features a package written by rpmpack
// relies on, as rpmbuild records them.
func (p *Package) allRequires(comp string) []Dep {
	lib := func(name, evr string) Dep {
		e, _ := ParseEVR(evr)
		return Dep{Name: "rpmlib(" + name + ")", Flags: FlagRPMLib | FlagLess | FlagEqual, EVR: e}
	}
	out := append([]Dep(nil), p.Requires...)
	out = append(out,
		lib("CompressedFileNames", "3.0.4-1"),
		lib("FileDigests", "4.6.0-1"),
		lib("PayloadFilesHavePrefix", "4.0-1"))
	if strings.HasPrefix(comp, "zstd") {
		out = append(out, lib("PayloadIsZstd", "5.4.18-1"))
	}
	for _, d := range append(append([]Dep(nil), p.Requires...), p.Conflicts...) {
		if d.IsRich() {
			out = append(out, lib("RichDependencies", "4.12.0-1"))
			break
		}
	}
	for _, f := range p.Files {
		if f.Caps != "" {
			out = append(out, lib("FileCaps", "4.6.1-1"))
			break
		}
	}
	return out
}

func setDeps(r *rpmpack.RPM, nameTag, verTag, flagTag int, deps []Dep) {
	if len(deps) == 0 {
		return
	}
	names := make([]string, len(deps))
	vers := make([]string, len(deps))
	flags := make([]uint32, len(deps))
	for i, d := range deps {
		names[i] = d.Name
		if d.Flags&FlagSenseMask != 0 {
			vers[i] = d.EVR.String()
		}
		flags[i] = uint32(d.Flags)
	}
	r.AddCustomTag(nameTag, rpmpack.EntryStringSlice(names))
	r.AddCustomTag(verTag, rpmpack.EntryStringSlice(vers))
	r.AddCustomTag(flagTag, rpmpack.EntryUint32(flags))
}

func toRPMFile(f File) rpmpack.RPMFile {
	owner, group := f.Owner, f.Group
	if owner == "" {
		owner = "root"
	}
	if group == "" {
		group = "root"
	}
	rf := rpmpack.RPMFile{
		Name: f.Path, Mode: uint(f.Mode), Owner: owner, Group: group, MTime: f.MTime,
	}
	switch {
	case f.IsSymlink():
		rf.Body = []byte(f.LinkTarget)
	case f.IsDir():
	default:
		rf.Body = f.Body
	}
	if f.Config {
		rf.Type |= rpmpack.ConfigFile | rpmpack.NoReplaceFile
	}
	if f.Ghost {
		rf.Type |= rpmpack.GhostFile
	}
	return rf
}

func hasNonEmpty(ss []string) bool {
	for _, s := range ss {
		if s != "" {
			return true
		}
	}
	return false
}
