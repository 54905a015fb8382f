package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/levitateos/levitate/internal/repo"
)

// Spec names one source of a build and how to trust it.
type Spec struct {
	// ID is how the user wrote the source; lock files record it.
	ID string
	// Location is what Open is given: an absolute path or a URL.
	Location string
	// Priority ranks sources offering the same package: higher wins.
	Priority int
	// Key is the GPG public key file that signs this source's packages;
	// empty for none.
	Key string
}

// Member is one opened source of a Set with its index.
type Member struct {
	Spec   Spec
	Source Source
	Index  *repo.Index
}

// Set is several sources opened and indexed together. It is itself a
// Source: Fetch takes each package from the member whose index holds it.
type Set struct {
	members []Member
	owner   map[*repo.Package]int
}

// OpenSet opens and indexes every spec. It reports every source that
// fails, not just the first, and closes what it opened on failure.
func OpenSet(ctx context.Context, specs []Spec, cacheDir string) (*Set, error) {
	if len(specs) == 0 {
		return nil, errors.New("no package source given")
	}
	s := &Set{owner: map[*repo.Package]int{}}
	var errs []string
	seen := map[string]bool{}
	for _, sp := range specs {
		if sp.ID == "" {
			sp.ID = sp.Location
		}
		if seen[sp.ID] {
			errs = append(errs, fmt.Sprintf("source %s given twice", sp.ID))
			continue
		}
		seen[sp.ID] = true
		if sp.Key != "" {
			if _, err := os.Stat(sp.Key); err != nil {
				errs = append(errs, fmt.Sprintf("source %s: key: %v", sp.ID, err))
				continue
			}
		}
		src, err := Open(ctx, sp.Location, cacheDir)
		if err != nil {
			errs = append(errs, fmt.Sprintf("source %s: %v", sp.ID, err))
			continue
		}
		src = renamed{src, sp.ID}
		ix, err := src.Index(ctx)
		if err != nil {
			src.Close()
			errs = append(errs, err.Error())
			continue
		}
		for _, p := range ix.Packages() {
			s.owner[p] = len(s.members)
		}
		s.members = append(s.members, Member{Spec: sp, Source: src, Index: ix})
	}
	if len(errs) > 0 {
		s.Close()
		sort.Strings(errs)
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return s, nil
}

// renamed reports the user's spelling of a source as its ID.
type renamed struct {
	Source
	id string
}

func (r renamed) ID() string { return r.id }

// Members returns the sources in the order given.
func (s *Set) Members() []Member { return s.members }

// Member returns the source with the given ID.
func (s *Set) Member(id string) (Member, bool) {
	for _, m := range s.members {
		if m.Spec.ID == id {
			return m, true
		}
	}
	return Member{}, false
}

// ID lists the member IDs.
func (s *Set) ID() string {
	ids := make([]string, len(s.members))
	for i, m := range s.members {
		ids[i] = m.Spec.ID
	}
	return strings.Join(ids, ", ")
}

// Index returns all members' packages in one index; resolving should use
// Members instead, which keeps priorities.
func (s *Set) Index(context.Context) (*repo.Index, error) {
	parts := make([]*repo.Index, len(s.members))
	for i, m := range s.members {
		parts[i] = m.Index
	}
	return repo.Merge(parts...), nil
}

// Fetch fetches p from the member whose index it came from.
func (s *Set) Fetch(ctx context.Context, p *repo.Package, destDir string) (string, error) {
	i, ok := s.owner[p]
	if !ok {
		return "", fmt.Errorf("fetch %s: not from any source of this set", p.NEVRA)
	}
	return s.members[i].Source.Fetch(ctx, p, destDir)
}

// Close closes every member.
func (s *Set) Close() error {
	var errs []error
	for _, m := range s.members {
		errs = append(errs, m.Source.Close())
	}
	return errors.Join(errs...)
}
