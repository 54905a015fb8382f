package repo

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/levitateos/levitate/internal/rpm"
)

type xmlEntry struct {
	Name  string `xml:"name,attr"`
	Flags string `xml:"flags,attr"`
	Epoch string `xml:"epoch,attr"`
	Ver   string `xml:"ver,attr"`
	Rel   string `xml:"rel,attr"`
	Pre   string `xml:"pre,attr"`
}

type xmlFile struct {
	Type string `xml:"type,attr"`
	Path string `xml:",chardata"`
}

type xmlVersion struct {
	Epoch string `xml:"epoch,attr"`
	Ver   string `xml:"ver,attr"`
	Rel   string `xml:"rel,attr"`
}

// xmlPackage holds only what the index needs; the decoder skips the rest
// (descriptions are most of primary.xml's bytes).
type xmlPackage struct {
	Name     string     `xml:"name"`
	Arch     string     `xml:"arch"`
	Version  xmlVersion `xml:"version"`
	Checksum struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"checksum"`
	Size struct {
		Package int64 `xml:"package,attr"`
	} `xml:"size"`
	Location struct {
		Href string `xml:"href,attr"`
	} `xml:"location"`
	Format struct {
		SourceRPM  string     `xml:"sourcerpm"`
		Provides   []xmlEntry `xml:"provides>entry"`
		Requires   []xmlEntry `xml:"requires>entry"`
		Conflicts  []xmlEntry `xml:"conflicts>entry"`
		Obsoletes  []xmlEntry `xml:"obsoletes>entry"`
		Recommends []xmlEntry `xml:"recommends>entry"`
		Files      []xmlFile  `xml:"file"`
	} `xml:"format"`
}

// parsePrimary streams primary.xml, one <package> element at a time.
func parsePrimary(r io.Reader, name string) ([]*Package, error) {
	var out []*Package
	err := eachPackage(r, name, func(xp *xmlPackage) error {
		p, err := xp.toPackage()
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachPackage streams an rpm-md XML file (primary or filelists) and decodes
// each <package> element into a fresh T for fn, so that memory stays
// bounded by one package whatever the file's size. Errors name the file
// and the package's ordinal.
func eachPackage[T any](r io.Reader, name string, fn func(*T) error) error {
	d := xml.NewDecoder(r)
	for n := 1; ; {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "package" {
			continue
		}
		var x T
		if err := d.DecodeElement(&x, &se); err != nil {
			return fmt.Errorf("%s: package %d: %w", name, n, err)
		}
		if err := fn(&x); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		n++
	}
}

func (xp *xmlPackage) toPackage() (*Package, error) {
	evr, err := xmlEVR(xp.Version.Epoch, xp.Version.Ver, xp.Version.Rel)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", xp.Name, err)
	}
	p := &Package{
		NEVRA:     rpm.NEVRA{Name: xp.Name, EVR: evr, Arch: xp.Arch},
		Href:      xp.Location.Href,
		Checksum:  Checksum{Type: normalizeSumType(xp.Checksum.Type), Value: xp.Checksum.Value},
		Size:      xp.Size.Package,
		SourceRPM: xp.Format.SourceRPM,
	}
	if p.Name == "" || p.Arch == "" {
		return nil, fmt.Errorf("package without name or arch (href %q)", p.Href)
	}
	if !hrefOK(p.Href) {
		return nil, fmt.Errorf("package %s: bad location href %q", p.NEVRA, p.Href)
	}
	for _, l := range []struct {
		dst *[]rpm.Dep
		src []xmlEntry
	}{
		{&p.Provides, xp.Format.Provides}, {&p.Requires, xp.Format.Requires},
		{&p.Conflicts, xp.Format.Conflicts}, {&p.Obsoletes, xp.Format.Obsoletes},
		{&p.Recommends, xp.Format.Recommends},
	} {
		for _, e := range l.src {
			d, err := e.dep()
			if err != nil {
				return nil, fmt.Errorf("package %s: %w", p.NEVRA, err)
			}
			*l.dst = append(*l.dst, d)
		}
	}
	for _, f := range xp.Format.Files {
		if f.Type != "dir" {
			p.Files = append(p.Files, f.Path)
		}
	}
	return p, nil
}

func (e xmlEntry) dep() (rpm.Dep, error) {
	d := rpm.Dep{Name: e.Name}
	switch e.Flags {
	case "":
	case "LT":
		d.Flags = rpm.FlagLess
	case "LE":
		d.Flags = rpm.FlagLess | rpm.FlagEqual
	case "EQ":
		d.Flags = rpm.FlagEqual
	case "GE":
		d.Flags = rpm.FlagGreater | rpm.FlagEqual
	case "GT":
		d.Flags = rpm.FlagGreater
	default:
		return d, fmt.Errorf("dependency %q: unknown flags %q", e.Name, e.Flags)
	}
	if d.Flags != 0 {
		evr, err := xmlEVR(e.Epoch, e.Ver, e.Rel)
		if err != nil {
			return d, fmt.Errorf("dependency %q: %w", e.Name, err)
		}
		d.EVR = evr
	}
	if e.Pre == "1" || e.Pre == "true" {
		d.Flags |= rpm.FlagPrereq
	}
	return d, nil
}

func xmlEVR(epoch, ver, rel string) (rpm.EVR, error) {
	e := rpm.EVR{Version: ver, Release: rel}
	if epoch != "" {
		n, err := strconv.ParseUint(epoch, 10, 32)
		if err != nil {
			return e, fmt.Errorf("bad epoch %q", epoch)
		}
		e.Epoch = uint32(n)
	}
	return e, nil
}

// normalizeSumType maps yum's old "sha" spelling.
func normalizeSumType(t string) string {
	if t == "sha" {
		return "sha1"
	}
	return t
}
