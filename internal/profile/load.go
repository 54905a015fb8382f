package profile

import (
	"os"
	"path/filepath"
)

// Profile is a loaded, validated profile directory.
type Profile struct {
	Dir      string // absolute
	Packages []Package
	Settings Settings
	Overlay  []Entry     // airootfs/ entries, sorted by path
	Warnings Diagnostics // problems that do not stop a build
}

// PackageNames returns the names from packages.txt in file order.
func (p *Profile) PackageNames() []string {
	names := make([]string, len(p.Packages))
	for i, pkg := range p.Packages {
		names[i] = pkg.Name
	}
	return names
}

// Load reads and validates the profile in dir. On any error it returns a
// nil profile and a Diagnostics holding every problem found, warnings
// included, sorted by file and position.
func Load(dir string) (*Profile, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, Diagnostics{{File: dir, Msg: err.Error()}}
	}
	var ds Diagnostics
	p := &Profile{Dir: abs, Settings: DefaultSettings()}

	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		msg := "not a directory"
		if err != nil {
			msg = unwrapPath(err).Error()
		}
		return nil, Diagnostics{{File: dir, Msg: "profile: " + msg}}
	}

	pd := diags{list: &ds, file: PackagesFile}
	if data, err := os.ReadFile(filepath.Join(abs, PackagesFile)); err != nil {
		pd.errorf(0, 0, "%v; a profile needs a package list", unwrapPath(err))
	} else {
		p.Packages = parsePackages(data, pd)
	}

	cd := diags{list: &ds, file: ConfFile}
	switch data, err := os.ReadFile(filepath.Join(abs, ConfFile)); {
	case err == nil:
		parseConf(abs, data, &p.Settings, cd)
	case !os.IsNotExist(err):
		cd.errorf(0, 0, "%v", unwrapPath(err))
	}

	p.Overlay = scanOverlay(abs, &ds)
	crossCheck(p, cd)

	ds.Sort()
	if ds.HasErrors() {
		return nil, ds
	}
	p.Warnings = ds
	return p, nil
}

// crossCheck reports settings that disagree with the overlay.
func crossCheck(p *Profile, d diags) {
	have := make(map[string]bool, len(p.Overlay))
	for _, e := range p.Overlay {
		have[e.Path] = true
	}
	for _, perm := range p.Settings.Permissions {
		if !have[perm.Path] {
			d.errorf(perm.Line, perm.Col, "file-permissions for %s: no such file in %s/", perm.Path, OverlayDir)
		}
	}
	s := &p.Settings
	if line, ok := s.Lines["hostname"]; ok && have["/etc/hostname"] {
		d.errorf(line, 1, "hostname is set here and by %s/etc/hostname; keep one", OverlayDir)
	}
	if line, ok := s.Lines["os-release"]; ok && (have["/etc/os-release"] || have["/usr/lib/os-release"]) {
		d.errorf(line, 1, "os-release fields are set here and by an os-release file in %s/; keep one", OverlayDir)
	}
}
