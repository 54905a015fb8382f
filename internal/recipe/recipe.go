// Package recipe decodes and validates recipe files: the declarative
// S-expression package descriptions read by the recipe package manager.
//
// Decode turns one file into a typed Recipe and a sorted list of
// Diagnostics (every error and warning in the file, each positioned);
// LoadDir does so for a directory in parallel; FormatFile prints a file in
// the canonical layout. The normative description of the language is
// docs/recipe-format.md. Command strings are kept verbatim: variables such
// as $PREFIX reach commands through their environment, never by text
// substitution in this package.
package recipe

import (
	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/version"
)

// Pos is a position in a recipe file.
type Pos = sexpr.Pos

// Recipe is one decoded package description.
type Recipe struct {
	File       string
	Pos        Pos // the (package ...) form
	Name       string
	NamePos    Pos
	Version    string
	VersionPos Pos
	EVR        version.EVR // Version, parsed

	Description string
	Licenses    []string
	Homepage    string
	Maintainer  string

	Deps      []Dep // runtime and build dependencies, in file order
	Provides  []Dep
	Conflicts []Dep
	Features  []Feature

	Acquire     *Acquire // nil for a meta-package
	Patches     []Patch
	Build       []BuildStep // in order; nil when there is no build section
	Install     []InstallStep
	Desktop     *Desktop
	Configure   []ConfigureStep
	Start       *Start
	Stop        *Stop
	Remove      *Remove
	Cleanup     *Cleanup
	Subpackages []Subpackage
}

// DepKind tells build from runtime dependencies.
type DepKind uint8

// The dependency kinds.
const (
	Runtime DepKind = iota // needed to run the package
	Build                  // needed only to build it
)

// String returns "runtime" or "build".
func (k DepKind) String() string {
	if k == Build {
		return "build"
	}
	return "runtime"
}

// Dep is one dependency, provide or conflict.
type Dep struct {
	Name       string
	Constraint version.Constraint // the zero Constraint matches any version
	Raw        string             // the string as written, "b >= 1.2"
	Kind       DepKind
	// If is the feature condition: "" (always), "x" (when feature x is
	// enabled) or "!x" (when it is not).
	If  string
	Pos Pos
}

// Feature is an optional part of a package that can be switched on or off.
type Feature struct {
	Name        string
	Description string
	Default     bool
	Implies     []string
	Pos         Pos
}

// AcquireKind names the way a package's input is obtained.
type AcquireKind string

// The acquire methods.
const (
	AcquireSource AcquireKind = "source" // a source archive at a URL
	AcquireBinary AcquireKind = "binary" // a prebuilt archive per architecture
	AcquireGit    AcquireKind = "git"    // a git repository at a ref
	AcquireRPM    AcquireKind = "rpm"    // packages from configured RPM repositories
	AcquireFile   AcquireKind = "file"   // a file next to the recipe
)

// Acquire says where a package's input comes from. Which fields are set
// depends on Kind.
type Acquire struct {
	Kind     AcquireKind
	Pos      Pos
	URL      string   // source, git
	Path     string   // file: relative to the recipe's directory
	SHA256   string   // source, file: lower-case hex, "" when absent
	Binaries []Binary // binary
	Ref      GitRef   // git
	RPMs     []string // rpm
}

// Binary is the prebuilt archive for one architecture.
type Binary struct {
	Arch   string
	URL    string
	SHA256 string
	Pos    Pos
}

// GitRef pins a git checkout. Kind is "tag", "branch", "commit" or "" (the
// default branch).
type GitRef struct {
	Kind string
	Name string
}

// Patch is a patch file, relative to the recipe's directory, applied with
// -p1 after extraction.
type Patch struct {
	Path string
	Pos  Pos
}

// BuildKind names a build step.
type BuildKind string

// The build steps.
const (
	BuildSkip      BuildKind = "skip"
	BuildExtract   BuildKind = "extract"
	BuildConfigure BuildKind = "configure"
	BuildCompile   BuildKind = "compile"
	BuildTest      BuildKind = "test"
	BuildCargo     BuildKind = "cargo"
	BuildMeson     BuildKind = "meson"
	BuildNinja     BuildKind = "ninja"
	BuildRun       BuildKind = "run"
)

// BuildStep is one step of the build. Arg is the archive format for
// extract (canonical spelling, such as "tar-gz"), the command for run, and
// the optional argument of the other steps ("" selects the default; see
// Script).
type BuildStep struct {
	Kind BuildKind
	Arg  string
	Pos  Pos
}

// InstallKind names an install step.
type InstallKind string

// The install steps.
const (
	ToBin         InstallKind = "to-bin"
	ToLib         InstallKind = "to-lib"
	ToMan         InstallKind = "to-man"
	ToShare       InstallKind = "to-share"
	ToConfig      InstallKind = "to-config"
	ToInclude     InstallKind = "to-include"
	ToPkgconfig   InstallKind = "to-pkgconfig"
	ToSystemd     InstallKind = "to-systemd"
	ToCompletions InstallKind = "to-completions"
	Link          InstallKind = "link"
)

// InstallStep copies one file from the build directory into the staged
// prefix, or makes a symbolic link. Src is relative to the build directory
// (for link: the link's target); Dest is the destination as written (""
// for the default, see docs/recipe-format.md). Mode is the file mode,
// defaults applied (0755 for to-bin, 0644 otherwise; 0 for link).
type InstallStep struct {
	Kind  InstallKind
	Src   string
	Dest  string
	Shell string // to-completions: bash, zsh or fish
	Mode  uint32
	Pos   Pos
}

// Desktop describes a freedesktop.org menu entry.
type Desktop struct {
	Name       string
	Exec       string
	Icon       string
	Categories string
	Comment    string
	Terminal   bool
	Pos        Pos
}

// ConfigureKind names a configure step.
type ConfigureKind string

// The configure steps.
const (
	CreateUser ConfigureKind = "create-user"
	CreateDir  ConfigureKind = "create-dir"
	Template   ConfigureKind = "template"
	ConfRun    ConfigureKind = "run"
)

// ConfigureStep is one step run once after installation.
type ConfigureStep struct {
	Kind    ConfigureKind
	Name    string // create-user: the user
	System  bool   // create-user: a system account
	NoLogin bool   // create-user: no login shell
	Path    string // create-dir, template: absolute path
	Owner   string // create-dir: owning user, "" for root
	Vars    []TemplateVar
	Cmd     string // run
	Pos     Pos
}

// TemplateVar replaces {{Key}} by Value in a template.
type TemplateVar struct {
	Key   string
	Value string
}

// Start says how a package's program or service is started. Kind is "exec"
// (Argv) or "service" (Manager, such as systemd or openrc, and Service).
type Start struct {
	Kind    string
	Argv    []string
	Manager string
	Service string
	Pos     Pos
}

// Stop says how a running package is stopped. Kind is "service-stop"
// (Name is the service), "pkill" (Name is the process) or "signal" (Name
// and Signal).
type Stop struct {
	Kind   string
	Name   string
	Signal string
	Pos    Pos
}

// Remove lists what removal does beyond deleting the files recorded at
// install time.
type Remove struct {
	StopFirst bool
	Steps     []RemoveStep
	Pos       Pos
}

// RemoveStep removes configuration, data or a user. Kind is "rm-config",
// "rm-data" or "rm-user"; Arg is the path or user name; Policy is "remove"
// (the default), "prompt" or "keep".
type RemoveStep struct {
	Kind   string
	Arg    string
	Policy string
	Pos    Pos
}

// Cleanup says what is deleted after a successful install: What is "all",
// "downloads", "sources" or "artifacts"; Keep lists build-directory paths
// to preserve.
type Cleanup struct {
	What string
	Keep []string
	Pos  Pos
}

// Subpackage is a further package built from the same recipe, sharing its
// version and sources.
type Subpackage struct {
	Name        string
	Description string
	Deps        []Dep
	Provides    []Dep
	Conflicts   []Dep
	Install     []InstallStep
	Pos         Pos
}
