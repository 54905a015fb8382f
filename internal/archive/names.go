package archive

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxSymlinkHops bounds link-following while checking a link's target, as
// the kernel's ELOOP limit does.
const maxSymlinkHops = 40

// cleanName validates an archive entry name and returns it relative to the
// destination, without "." components or trailing slashes. The root itself
// ("." or "./") comes back as "".
func cleanName(name string) (string, error) {
	if err := checkText(name); err != nil {
		return "", err
	}
	if strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("absolute path: %w", ErrEscape)
	}
	var parts []string
	for _, c := range strings.Split(name, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			return "", ErrEscape
		}
		parts = append(parts, c)
	}
	if len(parts) == 0 && strings.Trim(name, "/.") != "" {
		return "", fmt.Errorf("empty name: %w", ErrBadName)
	}
	return strings.Join(parts, "/"), nil
}

// checkText refuses names that no file system should receive.
func checkText(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty name: %w", ErrBadName)
	case !utf8.ValidString(s):
		return fmt.Errorf("name is not valid UTF-8: %w", ErrBadName)
	case strings.ContainsRune(s, 0):
		return fmt.Errorf("name contains a NUL byte: %w", ErrBadName)
	case strings.ContainsRune(s, '\\'):
		return fmt.Errorf("name contains a backslash: %w", ErrBadName)
	}
	return nil
}

// linkEscapes reports whether a symbolic link at linkPath with the given
// target resolves outside the destination. links maps every symbolic link
// extracted so far to its target; components that are links are followed,
// so a chain of individually harmless links is judged as a whole. Paths that
// do not exist (yet) are taken literally.
func linkEscapes(links map[string]string, linkPath, target string) error {
	dir := splitPath(linkPath)
	dir = dir[:len(dir)-1]
	hops := 0
	_, err := resolve(links, dir, target, &hops)
	return err
}

// resolve walks target from the directory given as components in dir and
// returns the components of the result.
func resolve(links map[string]string, dir []string, target string, hops *int) ([]string, error) {
	if strings.HasPrefix(target, "/") {
		return nil, fmt.Errorf("symlink target %q is absolute: %w", target, ErrEscape)
	}
	cur := append([]string(nil), dir...)
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return nil, fmt.Errorf("symlink target %q: %w", target, ErrEscape)
			}
			cur = cur[:len(cur)-1]
			continue
		}
		next := strings.Join(append(cur, c), "/")
		t, ok := links[next]
		if !ok {
			cur = append(cur, c)
			continue
		}
		*hops++
		if *hops > maxSymlinkHops {
			return nil, fmt.Errorf("symlink target %q: %w", target, ErrSymlinkCycle)
		}
		var err error
		if cur, err = resolve(links, cur, t, hops); err != nil {
			return nil, err
		}
	}
	return cur, nil
}

func splitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
