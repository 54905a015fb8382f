package rpm

import (
	"errors"
	"fmt"
	"io"

	rpmutils "github.com/sassoftware/go-rpmutils"
)

// Header is what the project reads from a package file: identity,
// descriptive tags, dependencies and the file list.
type Header struct {
	NEVRA
	Summary, Description, License, URL, Vendor, Packager, Group string
	BuildHost, SourceRPM                                        string
	BuildTime                                                   int64
	// InstalledSize is the sum of the file sizes; ArchiveSize is the
	// uncompressed payload size.
	InstalledSize, ArchiveSize int64
	// HeaderStart and HeaderEnd are the byte range of the signature and
	// main header in the file (repodata's header-range).
	HeaderStart, HeaderEnd int64

	Requires, Provides, Conflicts, Obsoletes, Recommends []Dep
	Files                                                []FileEntry
}

// FileEntry is one file as the header lists it.
type FileEntry struct {
	Path       string
	Mode       uint32
	Size       int64
	Owner      string
	Group      string
	LinkTarget string
	Digest     string
	Flags      uint32
}

// IsDir reports whether e is a directory.
func (e FileEntry) IsDir() bool { return e.Mode&ModeTypeMask == ModeDir }

// IsGhost reports whether e is %ghost.
func (e FileEntry) IsGhost() bool { return e.Flags&rpmutils.RPMFILE_GHOST != 0 }

// IsConfig reports whether e is %config.
func (e FileEntry) IsConfig() bool { return e.Flags&rpmutils.RPMFILE_CONFIG != 0 }

// ReadHeader reads the lead, signature and main header of a package file,
// leaving r positioned at the payload.
func ReadHeader(r io.Reader) (*Header, error) {
	h, err := rpmutils.ReadHeader(r)
	if err != nil {
		return nil, fmt.Errorf("read rpm header: %w", err)
	}
	n, err := h.GetNEVRA()
	if err != nil {
		return nil, fmt.Errorf("read rpm header: %w", err)
	}
	out := &Header{NEVRA: NEVRA{Name: n.Name, Arch: n.Arch, EVR: EVR{Version: n.Version, Release: n.Release}}}
	if ep, err := h.GetInts(rpmutils.EPOCH); err == nil && len(ep) > 0 {
		out.Epoch = uint32(ep[0])
	}
	str := func(tag int) string {
		s, _ := h.GetString(tag)
		return s
	}
	out.Summary, out.Description = str(rpmutils.SUMMARY), str(rpmutils.DESCRIPTION)
	out.License, out.URL, out.Vendor = str(rpmutils.LICENSE), str(rpmutils.URL), str(rpmutils.VENDOR)
	out.Packager, out.Group = str(rpmutils.PACKAGER), str(rpmutils.GROUP)
	out.BuildHost, out.SourceRPM = str(rpmutils.BUILDHOST), str(rpmutils.SOURCERPM)
	if t, err := h.GetInt(rpmutils.BUILDTIME); err == nil {
		out.BuildTime = int64(t)
	}
	if s, err := h.GetUint64Fallback(rpmutils.SIZE, rpmutils.LONGSIZE); err == nil {
		out.InstalledSize = int64(s)
	}
	if s, err := h.GetUint64Fallback(rpmutils.SIG_PAYLOADSIZE, rpmutils.SIG_LONGARCHIVESIZE); err == nil {
		out.ArchiveSize = int64(s)
	}
	rng := h.GetRange()
	out.HeaderStart, out.HeaderEnd = int64(rng.Start), int64(rng.End)

	deps := []struct {
		dst                      *[]Dep
		nameTag, verTag, flagTag int
	}{
		{&out.Requires, tagRequireName, tagRequireVersion, tagRequireFlags},
		{&out.Provides, tagProvideName, tagProvideVersion, tagProvideFlags},
		{&out.Conflicts, tagConflictName, tagConflictVersion, tagConflictFlags},
		{&out.Obsoletes, tagObsoleteName, tagObsoleteVersion, tagObsoleteFlags},
		{&out.Recommends, tagRecommendName, tagRecommendVer, tagRecommendFlags},
	}
	for _, d := range deps {
		if *d.dst, err = readDeps(h, d.nameTag, d.verTag, d.flagTag); err != nil {
			return nil, fmt.Errorf("read rpm header %s: %w", out.NEVRA, err)
		}
	}
	files, err := h.GetFiles()
	if err != nil {
		return nil, fmt.Errorf("read rpm header %s: files: %w", out.NEVRA, err)
	}
	for _, f := range files {
		out.Files = append(out.Files, FileEntry{
			Path: f.Name(), Mode: uint32(f.Mode()), Size: f.Size(), Owner: f.UserName(),
			Group: f.GroupName(), LinkTarget: f.Linkname(), Digest: f.Digest(), Flags: uint32(f.Flags()),
		})
	}
	return out, nil
}

func readDeps(h *rpmutils.RpmHeader, nameTag, verTag, flagTag int) ([]Dep, error) {
	names, err := h.GetStrings(nameTag)
	if err != nil {
		if errors.As(err, &rpmutils.NoSuchTagError{}) {
			return nil, nil
		}
		return nil, fmt.Errorf("tag %d: %w", nameTag, err)
	}
	vers, err := h.GetStrings(verTag)
	if err != nil {
		return nil, fmt.Errorf("tag %d: %w", verTag, err)
	}
	flags, err := h.GetUint32s(flagTag)
	if err != nil {
		return nil, fmt.Errorf("tag %d: %w", flagTag, err)
	}
	if len(vers) != len(names) || len(flags) != len(names) {
		return nil, fmt.Errorf("tag %d: %d names, %d versions, %d flags", nameTag, len(names), len(vers), len(flags))
	}
	out := make([]Dep, len(names))
	for i, n := range names {
		d := Dep{Name: n, Flags: Flags(flags[i])}
		if vers[i] != "" {
			if d.EVR, err = ParseEVR(vers[i]); err != nil {
				return nil, fmt.Errorf("dependency %q: %w", n, err)
			}
		}
		out[i] = d
	}
	return out, nil
}

// IsRPMLib reports whether d is an rpmlib() feature requirement, which
// repodata leaves out.
func (d Dep) IsRPMLib() bool {
	return d.Flags&FlagRPMLib != 0 || len(d.Name) > 7 && d.Name[:7] == "rpmlib("
}
