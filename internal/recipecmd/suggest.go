package recipecmd

import "sort"

// suggest returns up to max names close to name (edit distance at most a
// third of its length, at least 1, or a prefix/substring match), closest
// first: the "did you mean" of an unknown package.
func suggest(name string, names []string, max int) []string {
	type cand struct {
		name string
		dist int
	}
	limit := len(name) / 3
	if limit < 1 {
		limit = 1
	}
	var cs []cand
	for _, n := range names {
		d := editDistance(name, n)
		if d <= limit || (len(name) >= 3 && (hasPrefixFold(n, name) || hasPrefixFold(name, n))) {
			cs = append(cs, cand{n, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].name < cs[j].name
	})
	if len(cs) > max {
		cs = cs[:max]
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.name
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lower(s[i]) != lower(prefix[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// editDistance is the Levenshtein distance between a and b, over bytes
// (package names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
