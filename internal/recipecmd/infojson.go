package recipecmd

import (
	"fmt"

	"github.com/levitateos/levitate/internal/recipe"
)

// infoJSON is the output of `info --json`: every field of a recipe, with
// dependencies split by kind and the hash status of every download.
type infoJSON struct {
	Name        string            `json:"name"`
	Version     string            `json:"version"`
	Description string            `json:"description,omitempty"`
	Licenses    []string          `json:"licenses,omitempty"`
	Homepage    string            `json:"homepage,omitempty"`
	Maintainer  string            `json:"maintainer,omitempty"`
	File        string            `json:"file"`
	BuildDeps   []depJSON         `json:"build_deps"`
	RuntimeDeps []depJSON         `json:"runtime_deps"`
	Provides    []string          `json:"provides,omitempty"`
	Conflicts   []string          `json:"conflicts,omitempty"`
	Features    []featureJSON     `json:"features,omitempty"`
	Acquire     *acquireJSON      `json:"acquire,omitempty"`
	Patches     []string          `json:"patches,omitempty"`
	Build       []buildStepJSON   `json:"build,omitempty"`
	Install     []installStepJSON `json:"install,omitempty"`
	Desktop     *desktopJSON      `json:"desktop,omitempty"`
	Configure   []string          `json:"configure,omitempty"` // one step per line, as info prints it
	Start       string            `json:"start,omitempty"`
	Stop        string            `json:"stop,omitempty"`
	Remove      []string          `json:"remove,omitempty"`
	Cleanup     string            `json:"cleanup,omitempty"`
	Subpackages []subpackageJSON  `json:"subpackages,omitempty"`
}

// depJSON is one dependency: the name, its constraint ("" for any
// version) and its feature condition ("", "x" or "!x").
type depJSON struct {
	Name       string `json:"name"`
	Constraint string `json:"constraint,omitempty"`
	If         string `json:"if,omitempty"`
}

type desktopJSON struct {
	Name       string `json:"name"`
	Exec       string `json:"exec"`
	Icon       string `json:"icon,omitempty"`
	Categories string `json:"categories,omitempty"`
	Comment    string `json:"comment,omitempty"`
	Terminal   bool   `json:"terminal,omitempty"`
}

type subpackageJSON struct {
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	BuildDeps   []depJSON         `json:"build_deps"`
	RuntimeDeps []depJSON         `json:"runtime_deps"`
	Provides    []string          `json:"provides,omitempty"`
	Conflicts   []string          `json:"conflicts,omitempty"`
	Install     []installStepJSON `json:"install,omitempty"`
}

type featureJSON struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Default     bool     `json:"default"`
	Implies     []string `json:"implies,omitempty"`
}

// acquireJSON says where the input comes from and whether its content is
// pinned by a hash (hash_status "sha256", "missing", "commit", "unpinned"
// or "repository").
type acquireJSON struct {
	Kind       string       `json:"kind"`
	URL        string       `json:"url,omitempty"`
	Path       string       `json:"path,omitempty"`
	SHA256     string       `json:"sha256,omitempty"`
	HashStatus string       `json:"hash_status"`
	Binaries   []binaryJSON `json:"binaries,omitempty"`
	Ref        string       `json:"ref,omitempty"` // git: "tag v1.2", "commit abc"
	RPMs       []string     `json:"rpms,omitempty"`
}

type binaryJSON struct {
	Arch       string `json:"arch"`
	URL        string `json:"url"`
	SHA256     string `json:"sha256,omitempty"`
	HashStatus string `json:"hash_status"`
}

type buildStepJSON struct {
	Step string `json:"step"`
	Arg  string `json:"arg,omitempty"`
}

type installStepJSON struct {
	Kind  string `json:"kind"`
	Src   string `json:"src"`
	Dest  string `json:"dest,omitempty"`
	Shell string `json:"shell,omitempty"`
	Mode  string `json:"mode,omitempty"`
}

func newInfoJSON(r *recipe.Recipe) infoJSON {
	out := infoJSON{
		Name: r.Name, Version: r.Version, Description: r.Description, Licenses: r.Licenses,
		Homepage: r.Homepage, Maintainer: r.Maintainer, File: r.File,
		BuildDeps: []depJSON{}, RuntimeDeps: []depJSON{},
		Provides: raws(r.Provides), Conflicts: raws(r.Conflicts),
		Configure: configureLines(r.Configure), Start: startLine(r.Start), Stop: stopLine(r.Stop),
		Remove: removeLines(r.Remove), Cleanup: cleanupLine(r.Cleanup),
	}
	out.BuildDeps, out.RuntimeDeps = splitDeps(r.Deps)
	if d := r.Desktop; d != nil {
		out.Desktop = &desktopJSON{Name: d.Name, Exec: d.Exec, Icon: d.Icon, Categories: d.Categories, Comment: d.Comment, Terminal: d.Terminal}
	}
	for _, sp := range r.Subpackages {
		j := subpackageJSON{Name: sp.Name, Description: sp.Description, Provides: raws(sp.Provides), Conflicts: raws(sp.Conflicts)}
		j.BuildDeps, j.RuntimeDeps = splitDeps(sp.Deps)
		for _, s := range sp.Install {
			j.Install = append(j.Install, newInstallStepJSON(s))
		}
		out.Subpackages = append(out.Subpackages, j)
	}
	for _, f := range r.Features {
		out.Features = append(out.Features, featureJSON{Name: f.Name, Description: f.Description, Default: f.Default, Implies: f.Implies})
	}
	if ac := r.Acquire; ac != nil {
		j := &acquireJSON{Kind: string(ac.Kind), URL: ac.URL, Path: ac.Path, SHA256: ac.SHA256, HashStatus: hashStatus(ac), RPMs: ac.RPMs}
		if ac.Kind == recipe.AcquireGit {
			j.Ref = gitRef(ac.Ref)
		}
		for _, b := range ac.Binaries {
			j.Binaries = append(j.Binaries, binaryJSON{Arch: b.Arch, URL: b.URL, SHA256: b.SHA256, HashStatus: shaStatus(b.SHA256)})
		}
		out.Acquire = j
	}
	for _, p := range r.Patches {
		out.Patches = append(out.Patches, p.Path)
	}
	for _, s := range r.Build {
		out.Build = append(out.Build, buildStepJSON{Step: string(s.Kind), Arg: s.Arg})
	}
	for _, s := range r.Install {
		out.Install = append(out.Install, newInstallStepJSON(s))
	}
	return out
}

func newInstallStepJSON(s recipe.InstallStep) installStepJSON {
	j := installStepJSON{Kind: string(s.Kind), Src: s.Src, Dest: s.Dest, Shell: s.Shell}
	if s.Mode != 0 {
		j.Mode = fmt.Sprintf("%04o", s.Mode)
	}
	return j
}

// splitDeps separates build from runtime dependencies, keeping file
// order; both lists are non-nil so that JSON shows [] rather than null.
func splitDeps(ds []recipe.Dep) (build, runtime []depJSON) {
	build, runtime = []depJSON{}, []depJSON{}
	for _, d := range ds {
		j := depJSON{Name: d.Name, Constraint: d.Constraint.String(), If: d.If}
		if d.Kind == recipe.Build {
			build = append(build, j)
		} else {
			runtime = append(runtime, j)
		}
	}
	return build, runtime
}

func raws(ds []recipe.Dep) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Raw)
	}
	return out
}

// hashStatus tells whether the downloaded content is pinned.
func hashStatus(ac *recipe.Acquire) string {
	switch ac.Kind {
	case recipe.AcquireGit:
		if ac.Ref.Kind == "commit" {
			return "commit"
		}
		return "unpinned"
	case recipe.AcquireRPM:
		return "repository"
	case recipe.AcquireBinary:
		for _, b := range ac.Binaries {
			if b.SHA256 == "" {
				return "missing"
			}
		}
		return "sha256"
	default:
		return shaStatus(ac.SHA256)
	}
}

func shaStatus(sum string) string {
	if sum == "" {
		return "missing"
	}
	return "sha256"
}

func gitRef(ref recipe.GitRef) string {
	if ref.Kind == "" {
		return "default branch"
	}
	return ref.Kind + " " + ref.Name
}
