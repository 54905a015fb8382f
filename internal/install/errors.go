package install

import (
	"errors"
	"slices"
	"strings"
)

// joinSorted joins errs sorted by message (nil for none), so that several
// problems are all reported, in a stable order.
func joinSorted(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}
