package repo

import (
	"io"
)

type xmlFilelistPackage struct {
	PkgID string    `xml:"pkgid,attr"`
	Files []xmlFile `xml:"file"`
}

// parseFilelists returns the non-directory files of every package, keyed by
// pkgid (the package checksum).
func parseFilelists(r io.Reader, name string) (map[string][]string, error) {
	out := map[string][]string{}
	err := eachPackage(r, name, func(xp *xmlFilelistPackage) error {
		for _, f := range xp.Files {
			if f.Type != "dir" {
				out[xp.PkgID] = append(out[xp.PkgID], f.Path)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
