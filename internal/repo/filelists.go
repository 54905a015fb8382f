package repo

import (
	"encoding/xml"
	"fmt"
	"io"
)

type xmlFilelistPackage struct {
	PkgID string    `xml:"pkgid,attr"`
	Files []xmlFile `xml:"file"`
}

// parseFilelists returns the non-directory files of every package, keyed by
// pkgid (the package checksum).
func parseFilelists(r io.Reader, name string) (map[string][]string, error) {
	d := xml.NewDecoder(r)
	out := map[string][]string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "package" {
			continue
		}
		var xp xmlFilelistPackage
		if err := d.DecodeElement(&xp, &se); err != nil {
			return nil, fmt.Errorf("%s: package %d: %w", name, len(out)+1, err)
		}
		for _, f := range xp.Files {
			if f.Type != "dir" {
				out[xp.PkgID] = append(out[xp.PkgID], f.Path)
			}
		}
	}
}
