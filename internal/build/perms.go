package build

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/profile"
)

// ApplyPermissions sets the owner, group and mode of each file-permissions
// entry in root. Names are looked up in the root's own /etc/passwd and
// /etc/group, not the host's. Every failure is reported.
func ApplyPermissions(perms []profile.Permission, root string) error {
	if len(perms) == 0 {
		return nil
	}
	users, uerr := readIDs(filepath.Join(root, "etc/passwd"))
	groups, gerr := readIDs(filepath.Join(root, "etc/group"))
	var errs []error
	for _, p := range perms {
		uid, err := lookupID(p.Owner, users, uerr)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d:%d: owner of %s: %w", profile.ConfFile, p.Line, p.Col, p.Path, err))
			continue
		}
		gid, err := lookupID(p.Group, groups, gerr)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d:%d: group of %s: %w", profile.ConfFile, p.Line, p.Col, p.Path, err))
			continue
		}
		dst, err := RootPath(root, p.Path)
		if err == nil {
			// The file may be shared with the cached root.
			err = privatize(dst)
		}
		if err == nil {
			err = os.Lchown(dst, uid, gid)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d:%d: %w", profile.ConfFile, p.Line, p.Col, err))
			continue
		}
		if err := os.Chmod(dst, p.Mode); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d:%d: %w", profile.ConfFile, p.Line, p.Col, err))
		}
	}
	return errors.Join(errs...)
}

// lookupID returns a numeric id as is, or a name's id from ids.
func lookupID(s string, ids map[string]int, readErr error) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	if readErr != nil {
		return 0, fmt.Errorf("name %q: %w", s, readErr)
	}
	n, ok := ids[s]
	if !ok {
		return 0, fmt.Errorf("no %q in the root", s)
	}
	return n, nil
}

// readIDs reads name -> id from a passwd or group file (field 3).
func readIDs(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ids := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 3 {
			continue
		}
		if n, err := strconv.Atoi(f[2]); err == nil {
			ids[f[0]] = n
		}
	}
	return ids, sc.Err()
}
