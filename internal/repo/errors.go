package repo

import (
	"errors"
	"sort"
)

// joinSorted joins errs in message order so reports are stable.
func joinSorted(errs []error) error {
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}
