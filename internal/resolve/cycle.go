package resolve

import (
	"slices"
	"strings"
)

// CycleError reports dependency cycles among the packages of a plan.
type CycleError struct {
	// Cycles holds one shortest cycle per strongly connected component,
	// each starting at its alphabetically first member (not repeated at
	// the end), sorted.
	Cycles [][]string
}

func (e *CycleError) Error() string {
	parts := make([]string, len(e.Cycles))
	for i, c := range e.Cycles {
		parts[i] = strings.Join(append(slices.Clone(c), c[0]), " -> ")
	}
	if len(parts) == 1 {
		return "dependency cycle: " + parts[0]
	}
	return "dependency cycles: " + strings.Join(parts, "; ")
}

// findCycles returns, for every strongly connected component of adj that
// contains a cycle (a self-loop counts), its shortest cycle.
func findCycles(adj map[string][]string) [][]string {
	nodes := make([]string, 0, len(adj))
	for n := range adj {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	var out [][]string
	for _, comp := range components(nodes, adj) {
		if len(comp) == 1 && !slices.Contains(adj[comp[0]], comp[0]) {
			continue
		}
		out = append(out, shortestCycle(comp, adj))
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}

// components is Tarjan's algorithm with an explicit stack.
func components(nodes []string, adj map[string][]string) [][]string {
	index := make(map[string]int)
	low := make(map[string]int)
	onStack := make(map[string]bool)
	var stack []string
	var comps [][]string
	type frame struct {
		name string
		next int
	}
	for _, root := range nodes {
		if _, ok := index[root]; ok {
			continue
		}
		work := []frame{{name: root}}
		index[root], low[root] = len(index), len(index)
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			top := &work[len(work)-1]
			v := top.name
			if top.next < len(adj[v]) {
				w := adj[v][top.next]
				top.next++
				if _, ok := index[w]; !ok {
					index[w], low[w] = len(index), len(index)
					stack = append(stack, w)
					onStack[w] = true
					work = append(work, frame{name: w})
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			work = work[:len(work)-1]
			if len(work) > 0 {
				parent := work[len(work)-1].name
				low[parent] = min(low[parent], low[v])
			}
			if low[v] == index[v] {
				var comp []string
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				slices.Sort(comp)
				comps = append(comps, comp)
			}
		}
	}
	return comps
}

// cycleSearchBudget bounds the edges shortestCycle visits in one
// component, so that a huge component costs linear, not quadratic, time.
const cycleSearchBudget = 1 << 18

// shortestCycle finds a shortest cycle within comp by a breadth-first
// search from each member in sorted order, neighbours in sorted order,
// pruned at the best length so far. Among the shortest it picks the
// lexicographically smallest after rotating each to start at its
// alphabetically first member. Once cycleSearchBudget is spent the best
// cycle found so far is returned (the search from the first member always
// completes), which keeps the answer deterministic.
func shortestCycle(comp []string, adj map[string][]string) []string {
	in := make(map[string]bool, len(comp))
	for _, n := range comp {
		in[n] = true
	}
	sorted := make(map[string][]string, len(comp))
	for _, n := range comp {
		var next []string
		for _, w := range adj[n] {
			if in[w] {
				next = append(next, w)
			}
		}
		slices.Sort(next)
		sorted[n] = slices.Compact(next)
	}
	var best []string
	budget := cycleSearchBudget
	for _, start := range comp {
		if budget <= 0 {
			break
		}
		limit := len(comp)
		if best != nil {
			limit = len(best)
		}
		c := cycleThrough(start, sorted, limit, &budget)
		if c == nil {
			continue
		}
		c = rotate(c)
		if best == nil || len(c) < len(best) || (len(c) == len(best) && slices.Compare(c, best) < 0) {
			best = c
		}
	}
	return best
}

// cycleThrough returns a shortest cycle through start (start first, not
// repeated) of at most limit members, or nil. It charges each edge it
// visits to budget.
func cycleThrough(start string, adj map[string][]string, limit int, budget *int) []string {
	parent := map[string]string{}
	depth := map[string]int{start: 0}
	queue := []string{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if depth[v]+1 > limit {
			return nil
		}
		for _, w := range adj[v] {
			*budget--
			if w == start {
				var path []string
				for x := v; x != start; x = parent[x] {
					path = append(path, x)
				}
				path = append(path, start)
				slices.Reverse(path)
				return path
			}
			if _, seen := depth[w]; !seen {
				parent[w] = v
				depth[w] = depth[v] + 1
				queue = append(queue, w)
			}
		}
	}
	return nil
}

// rotate turns a cycle to start at its smallest member.
func rotate(c []string) []string {
	i := slices.Index(c, slices.Min(c))
	return append(slices.Clone(c[i:]), c[:i]...)
}
