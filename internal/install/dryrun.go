package install

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/store"
)

// DryPlan is what a dry run would do.
type DryPlan struct {
	Packages []DryPackage
}

// DryPackage is one package of a DryPlan.
type DryPackage struct {
	Name, Version string
	Action        string // "install", "upgrade" (or reinstall), "remove"
	Replaces      string // the installed version, if any
	// Fetch is the source to download, FetchSize its size when it is in the
	// cache already (-1 when unknown), Cached whether it is.
	Fetch     string
	FetchSize int64
	Cached    bool
	// Add lists the files the install forms will create (ROOT-relative);
	// what a build's own "make install" adds is known only after building.
	Add []string
	// Remove lists the recorded files that go (those of a removed package,
	// or those of the replaced version that Add does not list again).
	Remove []string
}

func (p *DryPlan) String() string {
	var b strings.Builder
	for _, d := range p.Packages {
		switch {
		case d.Replaces != "":
			fmt.Fprintf(&b, "%-8s %s %s -> %s", d.Action, d.Name, d.Replaces, d.Version)
		default:
			fmt.Fprintf(&b, "%-8s %s %s", d.Action, d.Name, d.Version)
		}
		if d.Fetch != "" {
			size := "size unknown"
			if d.FetchSize >= 0 {
				size = fmt.Sprintf("%d bytes", d.FetchSize)
			}
			cached := ""
			if d.Cached {
				cached = ", cached"
			}
			fmt.Fprintf(&b, " (fetch %s, %s%s)", d.Fetch, size, cached)
		}
		fmt.Fprintf(&b, ": +%d -%d files\n", len(d.Add), len(d.Remove))
	}
	return b.String()
}

func dryInstall(db *store.DB, todo []target, opts *Options) (*DryPlan, error) {
	plan := &DryPlan{}
	var errs []error
	for _, t := range todo {
		d := DryPackage{Name: t.meta.Name, Version: t.meta.Version, Action: "install", FetchSize: -1}
		if it, ok, err := sourceItem(t.pkg); err != nil {
			errs = append(errs, err)
		} else if ok {
			d.Fetch = it.URL
			if st, err := os.Stat(filepath.Join(opts.cacheDir(), it.Name)); err == nil {
				d.FetchSize, d.Cached = st.Size(), true
			}
		}
		for _, st := range t.pkg.Recipe.Install {
			p, err := destination(st)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			d.Add = append(d.Add, p)
		}
		slices.Sort(d.Add)
		if t.replaces != nil {
			d.Action, d.Replaces = "upgrade", t.replaces.Version
			rec, err := db.Get(t.meta.Name)
			if err != nil {
				errs = append(errs, err)
			} else {
				for _, f := range rec.Files {
					if f.Type != store.TypeDir && !slices.Contains(d.Add, f.Path) {
						d.Remove = append(d.Remove, f.Path)
					}
				}
			}
		}
		plan.Packages = append(plan.Packages, d)
	}
	return plan, joinSorted(errs)
}

func dryRemove(db *store.DB, set []string) (*DryPlan, error) {
	plan := &DryPlan{}
	var errs []error
	for _, n := range set {
		rec, err := db.Get(n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d := DryPackage{Name: n, Version: rec.Version, Action: "remove", FetchSize: -1}
		for _, f := range rec.Files {
			if f.Type != store.TypeDir {
				d.Remove = append(d.Remove, f.Path)
			}
		}
		plan.Packages = append(plan.Packages, d)
	}
	return plan, joinSorted(errs)
}
