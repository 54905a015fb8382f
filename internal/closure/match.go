package closure

import (
	"strconv"

	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/version"
)

// overlaps reports whether a provide satisfies a requirement: rpm's
// rpmdsCompare, where two version ranges match when they intersect and a
// missing release on either side matches any release.
func overlaps(req, prov rpm.Dep) bool {
	rs, ps := req.Flags&rpm.FlagSenseMask, prov.Flags&rpm.FlagSenseMask
	if rs == 0 || ps == 0 {
		return true
	}
	c := compareEVR(prov.EVR, req.EVR)
	switch {
	case c < 0:
		return ps&rpm.FlagGreater != 0 || rs&rpm.FlagLess != 0
	case c > 0:
		return ps&rpm.FlagLess != 0 || rs&rpm.FlagGreater != 0
	}
	return ps&rs != 0
}

// compareEVR compares with rpm's rule that a missing release on either
// side is not compared.
func compareEVR(a, b rpm.EVR) int {
	if a.Release == "" || b.Release == "" {
		a.Release, b.Release = "", ""
	}
	return version.Compare(evrString(a), evrString(b))
}

func evrString(e rpm.EVR) string {
	s := strconv.FormatUint(uint64(e.Epoch), 10) + ":" + e.Version
	if e.Release != "" {
		s += "-" + e.Release
	}
	return s
}

// archRank orders architectures by preference on an x86_64 target.
func archRank(a string) int {
	switch a {
	case "x86_64":
		return 0
	case "noarch":
		return 1
	}
	return 2
}
