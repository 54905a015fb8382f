// Package rpm writes and reads RPM packages and rpm-md repositories.
//
// It is the one place in the project that knows how a NEVRA, an EVR and a
// dependency are spelled: writers (package files, primary.xml) and readers
// (package headers) share the types and formatting below, so that what we
// write and what we print can never disagree with each other.
//
// Package files are written with github.com/google/rpmpack and headers are
// read with github.com/sassoftware/go-rpmutils; repodata (repomd.xml,
// primary.xml.gz, filelists.xml.gz) is written by our own code so that it
// can be placed on a live medium as well as on the test vendor ISO.
package rpm

import (
	"fmt"
	"strconv"
	"strings"
)

// EVR is the epoch, version and release of a package or of a dependency.
// An empty Release in a dependency matches any release (rpm's rule).
type EVR struct {
	Epoch   uint32
	Version string
	Release string
}

// String formats e as rpm does: "E:V-R", the epoch only when non-zero and the
// release only when present.
func (e EVR) String() string {
	var b strings.Builder
	if e.Epoch != 0 {
		b.WriteString(strconv.FormatUint(uint64(e.Epoch), 10))
		b.WriteByte(':')
	}
	b.WriteString(e.Version)
	if e.Release != "" {
		b.WriteByte('-')
		b.WriteString(e.Release)
	}
	return b.String()
}

// IsZero reports whether e carries no version at all.
func (e EVR) IsZero() bool { return e.Epoch == 0 && e.Version == "" && e.Release == "" }

// ParseEVR reads "[E:]V[-R]"; the release starts after the last hyphen.
func ParseEVR(s string) (EVR, error) {
	var e EVR
	if i := strings.IndexByte(s, ':'); i >= 0 {
		n, err := strconv.ParseUint(s[:i], 10, 32)
		if err != nil {
			return EVR{}, fmt.Errorf("parse evr %q: bad epoch: %w", s, err)
		}
		e.Epoch = uint32(n)
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		e.Version, e.Release = s[:i], s[i+1:]
	} else {
		e.Version = s
	}
	switch {
	case e.Version == "":
		return EVR{}, fmt.Errorf("parse evr %q: empty version", s)
	case strings.ContainsAny(e.Version, "-:"):
		return EVR{}, fmt.Errorf("parse evr %q: version %q holds '-' or ':', which rpm reserves as separators", s, e.Version)
	case strings.HasSuffix(s, "-"):
		return EVR{}, fmt.Errorf("parse evr %q: empty release after '-'", s)
	}
	return e, nil
}

// NEVRA identifies one package build.
type NEVRA struct {
	Name string
	EVR
	Arch string
}

// String formats n as "name-[E:]V-R.arch", the form rpm -q prints with
// %{nevra}.
func (n NEVRA) String() string {
	return n.Name + "-" + n.EVR.String() + "." + n.Arch
}

// FileName is the conventional package file name "name-V-R.arch.rpm"; the
// epoch never appears in file names.
func (n NEVRA) FileName() string {
	return n.Name + "-" + n.Version + "-" + n.Release + "." + n.Arch + ".rpm"
}

// Flags are rpm's RPMSENSE bits of a dependency.
type Flags uint32

// The RPMSENSE bits that this package uses (rpm's include/rpm/rpmds.h).
const (
	FlagLess       Flags = 1 << 1
	FlagGreater    Flags = 1 << 2
	FlagEqual      Flags = 1 << 3
	FlagPrereq     Flags = 1 << 6
	FlagScriptPre  Flags = 1 << 9
	FlagScriptPost Flags = 1 << 10
	FlagRPMLib     Flags = 1 << 24

	// FlagSenseMask selects the comparison bits.
	FlagSenseMask = FlagLess | FlagGreater | FlagEqual
)

// Op returns the comparison operator of f ("", "<", "<=", "=", ">=", ">").
func (f Flags) Op() string {
	switch f & FlagSenseMask {
	case FlagLess:
		return "<"
	case FlagLess | FlagEqual:
		return "<="
	case FlagEqual:
		return "="
	case FlagGreater | FlagEqual:
		return ">="
	case FlagGreater:
		return ">"
	}
	return ""
}

// XMLOp returns the comparison as repodata spells it (LT, LE, EQ, GE, GT),
// or "" for an unversioned dependency.
func (f Flags) XMLOp() string {
	switch f & FlagSenseMask {
	case FlagLess:
		return "LT"
	case FlagLess | FlagEqual:
		return "LE"
	case FlagEqual:
		return "EQ"
	case FlagGreater | FlagEqual:
		return "GE"
	case FlagGreater:
		return "GT"
	}
	return ""
}

// ParseOp returns the flags of a comparison operator.
func ParseOp(op string) (Flags, error) {
	switch op {
	case "<":
		return FlagLess, nil
	case "<=", "=<":
		return FlagLess | FlagEqual, nil
	case "=", "==":
		return FlagEqual, nil
	case ">=", "=>":
		return FlagGreater | FlagEqual, nil
	case ">":
		return FlagGreater, nil
	}
	return 0, fmt.Errorf("unknown comparison operator %q", op)
}

// Dep is one Requires, Provides, Conflicts or Obsoletes entry. A rich
// (boolean) dependency keeps its whole text, parentheses included, in Name.
type Dep struct {
	Name  string
	Flags Flags
	EVR   EVR
}

// String formats d as rpm -q --requires prints it: "name", "name >= 1.0-1",
// or the rich expression itself.
func (d Dep) String() string {
	op := d.Flags.Op()
	if op == "" {
		return d.Name
	}
	return d.Name + " " + op + " " + d.EVR.String()
}

// IsRich reports whether d is a boolean dependency such as "(a or b)".
func (d Dep) IsRich() bool { return strings.HasPrefix(d.Name, "(") }

// ParseDep reads "name", "name OP evr" or a rich "(...)" expression.
func ParseDep(s string) (Dep, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Dep{}, fmt.Errorf("parse dependency: empty")
	}
	if strings.HasPrefix(s, "(") {
		if !strings.HasSuffix(s, ")") || strings.Count(s, "(") != strings.Count(s, ")") {
			return Dep{}, fmt.Errorf("parse dependency %q: unbalanced parentheses", s)
		}
		return Dep{Name: s}, nil
	}
	f := strings.Fields(s)
	switch len(f) {
	case 1:
		return Dep{Name: f[0]}, nil
	case 3:
		flags, err := ParseOp(f[1])
		if err != nil {
			return Dep{}, fmt.Errorf("parse dependency %q: %w", s, err)
		}
		evr, err := ParseEVR(f[2])
		if err != nil {
			return Dep{}, fmt.Errorf("parse dependency %q: %w", s, err)
		}
		return Dep{Name: f[0], Flags: flags, EVR: evr}, nil
	}
	return Dep{}, fmt.Errorf("parse dependency %q: want NAME or NAME OP VERSION", s)
}
