package resolve

import (
	"strings"

	"github.com/levitateos/levitate/internal/suggest"
	"github.com/levitateos/levitate/internal/version"
)

// Node is one package in a dependency tree (see Universe.Tree).
type Node struct {
	// Package is the package chosen for Dep: the newest of that name
	// matching the constraint, else the first provider. Nil when Missing.
	Package  *Package
	Features []string // enabled features, sorted
	// Dep is the dependency that led here; nil at the root.
	Dep      *Dep
	Children []*Node
	// Repeated marks a package already expanded elsewhere in the tree;
	// its children are omitted.
	Repeated bool
	// Cycle marks a package that is also an ancestor of this node.
	Cycle bool
	// Missing marks a dependency no package satisfies.
	Missing bool
}

// Tree returns the dependency tree of name (the newest package of that
// name, or its first provider) with the feature switches ("x", "-x")
// applied to the root; dependencies get their default features. It
// ignores conflicts and installed packages: it shows what the recipes
// ask for, which Resolve then checks. Each package is expanded once.
func (u *Universe) Tree(name string, features []string) (*Node, error) {
	cands := u.candidates(name, version.Constraint{})
	if len(cands) == 0 {
		return nil, &UnsatisfiableError{Name: name, Missing: true,
			Requirements: []Requirement{{Dep: Dep{Name: name}}}, Suggestions: suggest.Closest(name, u.names, 3)}
	}
	var fr featureRequest
	if err := parseFeatures(name, features, &fr); err != nil {
		return nil, err
	}
	root := &Node{Package: cands[0]}
	feats, err := enabledFeatures(root.Package, fr)
	if err != nil {
		return nil, err
	}
	root.Features = feats
	expanded := map[*Package]bool{root.Package: true}
	onPath := map[*Package]bool{root.Package: true}
	type frame struct {
		node *Node
		next int
	}
	stack := []frame{{node: root}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		n := top.node
		if top.next >= len(n.Package.Deps) {
			onPath[n.Package] = false
			stack = stack[:len(stack)-1]
			continue
		}
		d := n.Package.Deps[top.next]
		top.next++
		if !applies(d.If, n.Features) {
			continue
		}
		child := &Node{Dep: &d}
		n.Children = append(n.Children, child)
		cs := u.candidates(d.Name, d.Constraint)
		if len(cs) == 0 {
			child.Missing = true
			continue
		}
		child.Package = cs[0]
		switch {
		case onPath[cs[0]]:
			child.Cycle = true
		case expanded[cs[0]]:
			child.Repeated = true
		default:
			child.Features, err = enabledFeatures(cs[0], featureRequest{})
			if err != nil {
				return nil, err
			}
			expanded[cs[0]], onPath[cs[0]] = true, true
			stack = append(stack, frame{node: child})
		}
	}
	return root, nil
}

// String renders the tree:
//
//	app 1.0 [gui]
//	├── libfoo 2.1 (libfoo >= 2)
//	│   └── zlib 1.3
//	├── pkgconf 2.0 (pkg-config; build)
//	├── zlib 1.3 (*)
//	└── libbar >= 1 (missing)
//
// (*) marks a package expanded above, (cycle) one of its own ancestors.
func (n *Node) String() string {
	var b strings.Builder
	type item struct {
		node   *Node
		prefix string // for the children's lines
		lead   string // for this line
	}
	stack := []item{{node: n}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		b.WriteString(it.lead + it.node.label() + "\n")
		for i := len(it.node.Children) - 1; i >= 0; i-- {
			lead, more := "├── ", "│   "
			if i == len(it.node.Children)-1 {
				lead, more = "└── ", "    "
			}
			stack = append(stack, item{node: it.node.Children[i], prefix: it.prefix + more, lead: it.prefix + lead})
		}
	}
	return b.String()
}

func (n *Node) label() string {
	if n.Missing {
		return n.Dep.Spec() + " (missing)"
	}
	s := n.Package.ID()
	if len(n.Features) > 0 {
		s += " [" + strings.Join(n.Features, ", ") + "]"
	}
	var notes []string
	if n.Dep != nil {
		if n.Dep.Name != n.Package.Name || !n.Dep.Constraint.Any() {
			notes = append(notes, n.Dep.Spec())
		}
		if n.Dep.Kind == Build {
			notes = append(notes, "build")
		}
		if n.Dep.If != "" {
			notes = append(notes, "if "+n.Dep.If)
		}
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	switch {
	case n.Cycle:
		s += " (cycle)"
	case n.Repeated:
		s += " (*)"
	}
	return s
}
