package install

import (
	"context"
	"reflect"
	"testing"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/store"
)

func TestFromPlanAndInstalledFor(t *testing.T) {
	srv := newServer(t, false)
	lib := shPackage(t, srv, "lib", "1.0", `(install (to-lib "src/lib.sh"))`, nil)
	app := shPackage(t, srv, "app", "1.0", `(deps "lib") (install (to-bin "src/app.sh" "app"))`, nil)
	recipes := map[string]*recipe.Recipe{"lib": lib.Recipe, "app": app.Recipe}
	find := func(name, version string) *recipe.Recipe {
		if r := recipes[name]; r != nil && r.Version == version {
			return r
		}
		return nil
	}
	u := resolve.NewUniverse([]resolve.Package{
		{Name: "lib", Version: "1.0"},
		{Name: "app", Version: "1.0", Deps: []resolve.Dep{{Name: "lib"}}},
	})
	plan, err := u.Resolve([]resolve.Request{{Name: "app"}}, nil, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := FromPlan(plan, find)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pkgs {
		got = append(got, p.Recipe.Name+" "+string(p.Reason))
	}
	if want := []string{"lib dependency", "app explicit"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FromPlan = %v; want %v", got, want)
	}
	opts := testOptions(t)
	if _, err := Install(context.Background(), pkgs, opts); err != nil {
		t.Fatal(err)
	}
	inst, err := InstalledFor(openDB(t, opts.Root))
	if err != nil {
		t.Fatal(err)
	}
	plan, err = u.Resolve([]resolve.Request{{Name: "app"}}, inst, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pkgs, err := FromPlan(plan, find); err != nil || len(pkgs) != 0 {
		t.Errorf("FromPlan after install = %d packages, %v; want none (all kept)", len(pkgs), err)
	}
	if m, err := openDB(t, opts.Root).Lookup("app"); err != nil || !reflect.DeepEqual(m.Depends, []string{"lib"}) || m.Reason != store.Explicit {
		t.Errorf("Lookup(app) = %+v, %v; want explicit, depends [lib]", m, err)
	}
}
