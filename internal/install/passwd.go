package install

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// User and group ranges, as in Debian's and Rocky's login.defs.
const (
	sysIDMin, sysIDMax   = 100, 999
	userIDMin, userIDMax = 1000, 59999
)

// lockPasswd takes the lock of lckpwdf(3) on ROOT/etc/.pwd.lock,
// so that useradd in the same root does not interleave with us.
func lockPasswd(root *os.Root) (func(), error) {
	if err := root.MkdirAll("etc", 0o755); err != nil {
		return nil, err
	}
	f, err := root.OpenFile("etc/.pwd.lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	// lckpwdf(3) takes an fcntl write lock, which flock(2) would not see.
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_SETLKW, &lk); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock etc/.pwd.lock: %w", err)
	}
	return func() { f.Close() }, nil
}

// table is the lines of a colon-separated database such as etc/passwd.
type table struct {
	name  string
	perm  fs.FileMode
	lines []string
}

func readTable(root *os.Root, name string, perm fs.FileMode) (*table, error) {
	t := &table{name: name, perm: perm}
	b, err := root.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return t, nil
	case err != nil:
		return nil, err
	}
	for l := range strings.SplitSeq(strings.TrimRight(string(b), "\n"), "\n") {
		if l != "" {
			t.lines = append(t.lines, l)
		}
	}
	return t, nil
}

// field returns field i of the entry named name, ok false when absent.
func (t *table) field(name string, i int) (string, bool) {
	for _, l := range t.lines {
		f := strings.Split(l, ":")
		if f[0] == name && i < len(f) {
			return f[i], true
		}
	}
	return "", false
}

func (t *table) has(name string) bool { _, ok := t.field(name, 0); return ok }

// ids returns the numeric ids in field 2.
func (t *table) ids() map[int]bool {
	out := make(map[int]bool)
	for _, l := range t.lines {
		if f := strings.Split(l, ":"); len(f) > 2 {
			if n, err := strconv.Atoi(f[2]); err == nil {
				out[n] = true
			}
		}
	}
	return out
}

func (t *table) drop(name string) bool {
	n := len(t.lines)
	t.lines = slices.DeleteFunc(t.lines, func(l string) bool { return strings.SplitN(l, ":", 2)[0] == name })
	return len(t.lines) != n
}

func (t *table) write(root *os.Root) error {
	return writeAtomic(root, t.name, []byte(strings.Join(t.lines, "\n")+"\n"), t.perm)
}

// createUser adds a user and its own group to ROOT/etc/passwd, group and
// shadow (password locked). An existing user is left alone.
func createUser(root *os.Root, name string, system, noLogin bool) error {
	unlock, err := lockPasswd(root)
	if err != nil {
		return err
	}
	defer unlock()
	pw, err := readTable(root, "etc/passwd", 0o644)
	if err != nil {
		return err
	}
	if pw.has(name) {
		return nil
	}
	gr, err := readTable(root, "etc/group", 0o644)
	if err != nil {
		return err
	}
	sh, err := readTable(root, "etc/shadow", 0o640)
	if err != nil {
		return err
	}
	used := pw.ids()
	for id := range gr.ids() {
		used[id] = true
	}
	id := -1
	if system { // like useradd -r: the highest free id
		for i := sysIDMax; i >= sysIDMin && id < 0; i-- {
			if !used[i] {
				id = i
			}
		}
	} else {
		for i := userIDMin; i <= userIDMax && id < 0; i++ {
			if !used[i] {
				id = i
			}
		}
	}
	if id < 0 {
		return fmt.Errorf("user %q: no free id", name)
	}
	home, shell := "/home/"+name, "/bin/sh"
	if system {
		home = "/"
	}
	if noLogin {
		shell = "/usr/sbin/nologin"
	}
	gid := id
	if g, ok := gr.field(name, 2); ok {
		gid, _ = strconv.Atoi(g)
	} else {
		gr.lines = append(gr.lines, fmt.Sprintf("%s:x:%d:", name, gid))
	}
	pw.lines = append(pw.lines, fmt.Sprintf("%s:x:%d:%d::%s:%s", name, id, gid, home, shell))
	days := time.Now().Unix() / 86400
	sh.lines = append(sh.lines, fmt.Sprintf("%s:!:%d::::::", name, days))
	// shadow first: a passwd entry must never point at a missing one.
	return errors.Join(sh.write(root), gr.write(root), pw.write(root))
}

// removeUser deletes a user and its group of the same name.
func removeUser(root *os.Root, name string) error {
	unlock, err := lockPasswd(root)
	if err != nil {
		return err
	}
	defer unlock()
	var errs []error
	for _, f := range []struct {
		name string
		perm fs.FileMode
	}{{"etc/passwd", 0o644}, {"etc/shadow", 0o640}, {"etc/group", 0o644}} {
		t, err := readTable(root, f.name, f.perm)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if t.drop(name) {
			errs = append(errs, t.write(root))
		}
	}
	return errors.Join(errs...)
}

// lookupUser returns the uid and gid of name in ROOT/etc/passwd.
func lookupUser(root *os.Root, name string) (int, int, error) {
	pw, err := readTable(root, "etc/passwd", 0o644)
	if err != nil {
		return 0, 0, err
	}
	u, ok := pw.field(name, 2)
	g, _ := pw.field(name, 3)
	if !ok {
		return 0, 0, fmt.Errorf("user %q is not in %s", name, "etc/passwd")
	}
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("user %q: %w", name, err)
	}
	return uid, gid, nil
}
