package resolve

import "github.com/levitateos/levitate/internal/version"

// DepKind tells when a dependency is needed.
type DepKind int

const (
	// Runtime dependencies are needed to run the dependent (and, since a
	// recipe's configure steps may run it, before the dependent is installed).
	Runtime DepKind = iota
	// Build dependencies are needed to build the dependent.
	Build
)

// String returns "runtime" or "build".
func (k DepKind) String() string {
	if k == Build {
		return "build"
	}
	return "runtime"
}

// Dep is one dependency (or conflict) declared by a package.
type Dep struct {
	Name       string
	Constraint version.Constraint
	Kind       DepKind
	// If is the feature condition of the dependent: "" always applies,
	// "x" applies when feature x is enabled, "!x" when it is disabled.
	If string
	// From is where the dependency was declared ("recipes/foo.recipe:12:5"),
	// quoted in explanations.
	From string
}

// Spec returns the dependency as written: "name" or "name >= 1, < 2".
func (d Dep) Spec() string { return spec(d.Name, d.Constraint) }

func spec(name string, c version.Constraint) string {
	if c.Any() {
		return name
	}
	return name + " " + c.String()
}

// Feature is an optional part of a package.
type Feature struct {
	Name    string
	Default bool
	// Implies lists features enabled together with this one.
	Implies []string
}

// Provide is a capability a package offers under another name. An empty
// Version provides the name without a version, which satisfies only
// unconstrained dependencies (as rpm does).
type Provide struct {
	Name, Version string
}

// Package is one version of one recipe, as the resolver sees it.
type Package struct {
	Name, Version string
	// Source is the recipe file, for messages.
	Source    string
	Deps      []Dep
	Provides  []Provide
	Conflicts []Dep
	Features  []Feature
}

// ID returns "name version".
func (p *Package) ID() string { return p.Name + " " + p.Version }

// Request is one package asked for by the user.
type Request struct {
	Name       string
	Constraint version.Constraint
	// Features turns features on ("x") or off ("-x").
	Features []string
}

// Installed is a package already on the system. Its own dependencies are
// taken as satisfied: the resolver does not look behind it.
type Installed struct {
	Name, Version string
	Features      []string
	Provides      []Provide
	Conflicts     []Dep
}

// Options tunes Resolve. The zero value is ready to use.
type Options struct {
	// MaxAttempts bounds the number of candidates tried before giving up
	// (backtracking can be exponential). Zero means DefaultMaxAttempts.
	MaxAttempts int
}

// DefaultMaxAttempts is the candidate budget used when Options.MaxAttempts
// is zero.
const DefaultMaxAttempts = 200000
