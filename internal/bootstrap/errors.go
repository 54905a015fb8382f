package bootstrap

import (
	"errors"
	"slices"
	"strings"
)

// joinSorted joins the non-nil errors sorted by message, so that output
// does not depend on which goroutine failed first.
func joinSorted(errs []error) error {
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	slices.SortStableFunc(out, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(out...)
}
