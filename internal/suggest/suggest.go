// Package suggest finds the known words closest to a mistyped one, for the
// "did you mean" part of error messages. Every command uses the same rule,
// so a user sees the same kind of suggestion from a recipe, a profile or
// the package index.
package suggest

import (
	"fmt"
	"sort"
	"strings"
)

// Distance is the edit distance between a and b, counted in bytes (the
// words compared here are ASCII names): insertions, deletions,
// substitutions and transpositions of two neighbours each cost 1 (the
// optimal string alignment distance), since a swapped pair is the most
// common typo. When limit >= 0 it returns limit+1 as soon as the distance
// is certain to exceed limit.
func Distance(a, b string, limit int) int {
	if limit >= 0 {
		if d := len(a) - len(b); d > limit || -d > limit {
			return limit + 1
		}
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		// A transposition reaches back two rows, so stop only when both
		// the current row and the one before it exceed the limit.
		if limit >= 0 && rowMin > limit && minOf(prev) > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if limit >= 0 && prev[len(b)] > limit {
		return limit + 1
	}
	return prev[len(b)]
}

func minOf(row []int) int {
	m := row[0]
	for _, v := range row[1:] {
		m = min(m, v)
	}
	return m
}

// Limit is the largest distance at which a known word still counts as a
// suggestion for word: one edit per four bytes, at least 1 and at most 3.
func Limit(word string) int {
	return min(3, max(1, (len(word)+1)/4))
}

// Closest returns up to n known words close to word, closest first and
// alphabetically among equals. A word is close when its distance is within
// Limit(word), or, for words of three bytes or more, when one is a
// case-insensitive prefix of the other (`kernel` for `kernel-core`).
// word itself is never suggested.
func Closest(word string, known []string, n int) []string {
	type cand struct {
		word string
		dist int
	}
	limit := Limit(word)
	var cs []cand
	seen := make(map[string]bool)
	for _, k := range known {
		if k == word || seen[k] {
			continue
		}
		d := Distance(word, k, -1)
		if d <= limit || len(word) >= 3 && (hasPrefixFold(k, word) || hasPrefixFold(word, k)) {
			seen[k] = true
			cs = append(cs, cand{k, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].word < cs[j].word
	})
	out := make([]string, 0, min(n, len(cs)))
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].word)
	}
	return out
}

// DidYouMean returns `; did you mean "x"?` for the closest known word, or
// "" when none is close. It is meant to be appended to an error message.
func DidYouMean(word string, known []string) string {
	c := Closest(word, known, 1)
	if len(c) == 0 {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", c[0])
}

func hasPrefixFold(s, prefix string) bool {
	return len(prefix) <= len(s) && strings.EqualFold(s[:len(prefix)], prefix)
}
