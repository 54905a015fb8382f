package closure

import "github.com/levitateos/levitate/internal/suggest"

// closest returns up to three known package names nearest to name, for
// "did you mean" messages.
func (r *resolver) closest(name string) []string {
	var names []string
	for _, in := range r.inputs {
		names = append(names, in.Index.Names()...)
	}
	return suggest.Closest(name, names, 3)
}

// Closest returns up to three package names of inputs nearest to name by
// edit distance, for messages about unknown names outside a resolve.
func Closest(inputs []Input, name string) []string {
	return (&resolver{inputs: inputs}).closest(name)
}
