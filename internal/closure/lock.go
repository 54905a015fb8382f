package closure

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/levitateos/levitate/internal/rpm"
)

// lockHeader opens every lock file; ReadLock skips comment lines.
const lockHeader = `# levitate lock file: the exact packages of a build.
# Each line: NEVRA, sha256 of the package file, source it is taken from.
# Generated; change packages.txt and re-resolve instead of editing it.
`

// LockEntry is one locked package.
type LockEntry struct {
	NEVRA  rpm.NEVRA
	SHA256 string
	Source string
}

func (e LockEntry) line() string {
	s := e.NEVRA.String() + " sha256:" + e.SHA256
	if e.Source != "" {
		s += " " + e.Source
	}
	return s
}

// Lock is a parsed lock file, sorted by NEVRA text.
type Lock struct {
	Entries []LockEntry
}

// LockOf returns the lock of a closure. Packages whose repodata checksum
// is not sha256 cannot be locked and are reported.
func LockOf(c *Closure) (*Lock, error) {
	l := &Lock{}
	var bad []string
	for _, e := range c.Entries {
		if e.Pkg.Checksum.Type != "sha256" {
			bad = append(bad, fmt.Sprintf("%s: repodata checksum is %s, lock files need sha256", e.Pkg.NEVRA, e.Pkg.Checksum.Type))
			continue
		}
		l.Entries = append(l.Entries, LockEntry{NEVRA: e.Pkg.NEVRA, SHA256: e.Pkg.Checksum.Value, Source: e.Source})
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, fmt.Errorf("lock: %s", strings.Join(bad, "; "))
	}
	l.sort()
	return l, nil
}

func (l *Lock) sort() {
	sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].NEVRA.String() < l.Entries[j].NEVRA.String() })
}

// WriteLock writes the lock of closure c to w.
func WriteLock(w io.Writer, c *Closure) error {
	l, err := LockOf(c)
	if err != nil {
		return err
	}
	return l.Write(w)
}

// Write writes l in the lock file format.
func (l *Lock) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(lockHeader)
	for _, e := range l.Entries {
		bw.WriteString(e.line() + "\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write lock: %w", err)
	}
	return nil
}

// ReadLock parses a lock file. name positions errors ("name:line:col");
// every bad line is reported.
func ReadLock(r io.Reader, name string) (*Lock, error) {
	l := &Lock{}
	var errs []string
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		e, col, err := parseLockLine(text)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s:%d:%d: %v", name, n, col, err))
			continue
		}
		key := e.NEVRA.Name + "." + e.NEVRA.Arch
		if prev, dup := seen[key]; dup {
			errs = append(errs, fmt.Sprintf("%s:%d:1: %s.%s already locked on line %d", name, n, e.NEVRA.Name, e.NEVRA.Arch, prev))
			continue
		}
		seen[key] = n
		l.Entries = append(l.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read lock %s: %w", name, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("read lock: %s", strings.Join(errs, "\n"))
	}
	l.sort()
	return l, nil
}

func parseLockLine(s string) (LockEntry, int, error) {
	f := strings.SplitN(strings.TrimSpace(s), " ", 3)
	if len(f) < 2 {
		return LockEntry{}, 1, fmt.Errorf("want NEVRA sha256:HEX [SOURCE], got %q", s)
	}
	n, err := ParseNEVRA(f[0])
	if err != nil {
		return LockEntry{}, 1, err
	}
	sum, ok := strings.CutPrefix(f[1], "sha256:")
	if !ok || len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return LockEntry{}, len(f[0]) + 2, fmt.Errorf("bad checksum %q: want sha256: and 64 lower-case hex digits", f[1])
	}
	e := LockEntry{NEVRA: n, SHA256: sum}
	if len(f) == 3 {
		e.Source = strings.TrimSpace(f[2])
	}
	return e, 0, nil
}

// ParseNEVRA reads "name-[E:]V-R.arch", splitting at the last dot and the
// last two hyphens, as rpm's own parsers do.
func ParseNEVRA(s string) (rpm.NEVRA, error) {
	dot := strings.LastIndexByte(s, '.')
	if dot <= 0 {
		return rpm.NEVRA{}, fmt.Errorf("bad NEVRA %q: no architecture", s)
	}
	arch, rest := s[dot+1:], s[:dot]
	r := strings.LastIndexByte(rest, '-')
	if r <= 0 {
		return rpm.NEVRA{}, fmt.Errorf("bad NEVRA %q: no release", s)
	}
	v := strings.LastIndexByte(rest[:r], '-')
	if v <= 0 {
		return rpm.NEVRA{}, fmt.Errorf("bad NEVRA %q: no version", s)
	}
	evr, err := rpm.ParseEVR(rest[v+1:])
	if err != nil || evr.Release == "" || arch == "" {
		return rpm.NEVRA{}, fmt.Errorf("bad NEVRA %q", s)
	}
	return rpm.NEVRA{Name: rest[:v], EVR: evr, Arch: arch}, nil
}
