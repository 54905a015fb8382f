package recipecmd

import (
	"strings"

	"github.com/levitateos/levitate/internal/resolve"
)

// treeJSON is one node of `deps --json`: the package, how it was reached
// and its dependencies. Repeated nodes have no children: they were
// expanded earlier in the tree.
type treeJSON struct {
	Name       string      `json:"name"`
	Version    string      `json:"version,omitempty"`
	Features   []string    `json:"features,omitempty"`
	Dep        string      `json:"dep,omitempty"`  // the dependency as written: "libfoo >= 2"
	Kind       string      `json:"kind,omitempty"` // "build" or "runtime"; empty at the root
	If         string      `json:"if,omitempty"`   // feature condition of the dependency
	Repeated   bool        `json:"repeated,omitempty"`
	Cycle      bool        `json:"cycle,omitempty"`
	Missing    bool        `json:"missing,omitempty"`
	Dependents []*treeJSON `json:"dependents,omitempty"` // --reverse
	Deps       []*treeJSON `json:"deps,omitempty"`
}

// nodeJSON converts a resolver tree. The recursion depth is bounded by the
// tree's depth, which is bounded by the number of distinct packages since
// each package is expanded once.
func nodeJSON(n *resolve.Node) *treeJSON {
	t := &treeJSON{Features: n.Features, Repeated: n.Repeated, Cycle: n.Cycle, Missing: n.Missing}
	if n.Package != nil {
		t.Name, t.Version = n.Package.Name, n.Package.Version
	}
	if d := n.Dep; d != nil {
		if t.Name == "" {
			t.Name = d.Name
		}
		t.Dep, t.Kind, t.If = d.Spec(), d.Kind.String(), d.If
	}
	for _, c := range n.Children {
		t.Deps = append(t.Deps, nodeJSON(c))
	}
	return t
}

// revNode is one package of a reverse dependency tree: who depends on it.
type revNode struct {
	name     string
	version  string // newest version; "" for a name no recipe has
	children []*revNode
	repeated bool
	cycle    bool
}

// reverseTree expands ReverseDeps from name; every package is expanded
// once, later occurrences are marked repeated and a package that is its
// own ancestor is marked as a cycle.
func reverseTree(u *resolve.Universe, name string) *revNode {
	expanded := map[string]bool{}
	var walk func(name string, path map[string]bool) *revNode
	walk = func(name string, path map[string]bool) *revNode {
		n := &revNode{name: name}
		if vs := u.Versions(name); len(vs) > 0 {
			n.version = vs[0].Version
		}
		switch {
		case path[name]:
			n.cycle = true
			return n
		case expanded[name]:
			n.repeated = true
			return n
		}
		expanded[name] = true
		path[name] = true
		for _, r := range u.ReverseDeps(name) {
			n.children = append(n.children, walk(r, path))
		}
		delete(path, name)
		return n
	}
	return walk(name, map[string]bool{})
}

func (n *revNode) json() *treeJSON {
	t := &treeJSON{Name: n.name, Version: n.version, Repeated: n.repeated, Cycle: n.cycle}
	for _, c := range n.children {
		t.Dependents = append(t.Dependents, c.json())
	}
	return t
}

// String draws the tree like resolve.Node.String.
func (n *revNode) String() string {
	var b strings.Builder
	var draw func(n *revNode, lead, prefix string)
	draw = func(n *revNode, lead, prefix string) {
		b.WriteString(lead + n.name)
		if n.version != "" {
			b.WriteString(" " + n.version)
		}
		switch {
		case n.cycle:
			b.WriteString(" (cycle)")
		case n.repeated:
			b.WriteString(" (*)")
		}
		b.WriteString("\n")
		for i, c := range n.children {
			l, p := "├── ", "│   "
			if i == len(n.children)-1 {
				l, p = "└── ", "    "
			}
			draw(c, prefix+l, prefix+p)
		}
	}
	draw(n, "", "")
	return b.String()
}
