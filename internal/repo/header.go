package repo

import (
	"github.com/levitateos/levitate/internal/rpm"
)

// FromHeader describes a package file read directly (a directory of RPMs
// without repodata). Unlike primary.xml it lists every file, so file
// lookups need no filelists.
func FromHeader(h *rpm.Header, href string, sha256 string, size int64) *Package {
	p := &Package{
		NEVRA: h.NEVRA, Href: href, Size: size, SourceRPM: h.SourceRPM,
		Checksum: Checksum{Type: "sha256", Value: sha256},
		Provides: h.Provides, Conflicts: h.Conflicts, Obsoletes: h.Obsoletes,
		Recommends: h.Recommends,
	}
	for _, d := range h.Requires {
		if d.IsRPMLib() {
			continue
		}
		if d.Flags&(rpm.FlagScriptPre|rpm.FlagScriptPost) != 0 {
			d.Flags |= rpm.FlagPrereq
		}
		p.Requires = append(p.Requires, d)
	}
	for _, f := range h.Files {
		if !f.IsDir() {
			p.Files = append(p.Files, f.Path)
		}
	}
	return p
}
