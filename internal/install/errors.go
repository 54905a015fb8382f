package install

import (
	"errors"
	"slices"
	"strings"
)

// errStaleCache marks a cached source that no longer matches the sha256 it
// was stored under; the installer fetches it again and rebuilds.
var errStaleCache = errors.New("cached source changed since it was downloaded")

// joinSorted joins errs sorted by message (nil for none), so that several
// problems are all reported, in a stable order.
func joinSorted(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}
