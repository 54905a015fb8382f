package build

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/levitateos/levitate/internal/profile"
)

// cacheTree makes a small root: files, a hard-linked pair, a symlink, a
// directory with its own mode, a file with an extended attribute.
func cacheTree(t *testing.T) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "root")
	for _, d := range []string{"etc", "usr/bin", "var/lib/secret"} {
		if err := os.MkdirAll(filepath.Join(src, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, data string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(src, rel), []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("etc/shadow", "root:!:1::::::\n", 0o600)
	write("usr/bin/ping", "\x7fELF ping", 0o755)
	write("usr/bin/a", "same inode", 0o755)
	if err := os.Link(filepath.Join(src, "usr/bin/a"), filepath.Join(src, "usr/bin/b")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../usr/lib/os-release", filepath.Join(src, "etc/os-release")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(src, "var/lib/secret"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Lsetxattr(filepath.Join(src, "usr/bin/ping"), "user.levitate", []byte("cap"), 0); err != nil {
		t.Logf("no user xattrs here (%v): the xattr copy is not checked", err)
	}
	return src
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func TestStageCacheLinksAndPrivatize(t *testing.T) {
	src := cacheTree(t)
	c := newStageCache(t.TempDir(), "rootfs")
	data := storedEntry(t, c, "k1", src)
	work := filepath.Join(t.TempDir(), "root")
	if err := linkTree(work, data); err != nil {
		t.Fatalf("linkTree: %v", err)
	}
	want, _ := treeManifest(src)
	if got, _ := treeManifest(work); string(got) != string(want) {
		t.Fatalf("linked tree manifest =\n%s\nwant\n%s", got, want)
	}
	if fi, err := os.Stat(filepath.Join(work, "var/lib/secret")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("linked directory mode = %v, %v; want 0700", fi.Mode(), err)
	}
	if inode(t, filepath.Join(work, "usr/bin/a")) != inode(t, filepath.Join(work, "usr/bin/b")) {
		t.Error("a hard-linked pair lost its link in the linked tree")
	}
	ping := filepath.Join(work, "usr/bin/ping")
	if inode(t, ping) != inode(t, filepath.Join(data, "usr/bin/ping")) {
		t.Fatal("linkTree copied a file instead of linking it")
	}

	// A permission change goes through privatize: the cache keeps its copy.
	if err := privatize(ping); err != nil {
		t.Fatalf("privatize: %v", err)
	}
	if inode(t, ping) == inode(t, filepath.Join(data, "usr/bin/ping")) {
		t.Error("privatize left the file shared with the cache")
	}
	if b, err := os.ReadFile(ping); err != nil || string(b) != "\x7fELF ping" {
		t.Errorf("privatized content = %q, %v", b, err)
	}
	if v, err := xattrCall(func(b []byte) (int, error) {
		return unix.Lgetxattr(filepath.Join(data, "usr/bin/ping"), "user.levitate", b)
	}); err == nil {
		got, err := xattrCall(func(b []byte) (int, error) { return unix.Lgetxattr(ping, "user.levitate", b) })
		if err != nil || string(got) != string(v) {
			t.Errorf("privatized xattr = %q, %v; want %q", got, err, v)
		}
	}
	if err := os.Chmod(ping, 0o4711); err != nil {
		t.Fatal(err)
	}
	if err := c.check("k1"); err != nil {
		t.Errorf("check after a privatized chmod: %v", err)
	}
	if _, ok := c.entry("k1"); !ok {
		t.Error("entry(k1) gone after a privatized chmod")
	}

	// A write into a shared file is caught, and the entry is dropped.
	f, err := os.OpenFile(filepath.Join(work, "etc/shadow"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("intruder:x:1::::::\n")
	f.Close()
	future := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(work, "etc/shadow"), future, future)
	if err := c.check("k1"); err == nil || !strings.Contains(err.Error(), "changed the cached rootfs k1 in place") {
		t.Errorf("check after a write into a cached file = %v; want the damage reported", err)
	}
	if _, ok := c.entry("k1"); ok {
		t.Error("a damaged entry is still served")
	}
}

func TestStageCachePrunes(t *testing.T) {
	src := cacheTree(t)
	c := newStageCache(t.TempDir(), "initramfs")
	for i, k := range []string{"a", "b", "c"} {
		if err := c.store(k, filepath.Join(src, "etc/shadow")); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(time.Duration(i-10) * time.Minute)
		os.Chtimes(filepath.Join(c.dir, k), old, old)
	}
	c.prune()
	for k, want := range map[string]bool{"a": false, "b": true, "c": true} {
		if _, ok := c.entry(k); ok != want {
			t.Errorf("after prune, entry(%s) present = %v; want %v", k, ok, want)
		}
	}
	var none *stageCache
	if _, ok := none.entry("a"); ok || none.store("a", src) != nil || none.check("a") != nil {
		t.Error("a nil cache (no CacheDir) must store nothing and find nothing")
	}
}

func TestDracutInput(t *testing.T) {
	for in, want := range map[string]bool{
		"etc/dracut.conf.d/live.conf": true, "etc/dracut.conf": true, "etc/vconsole.conf": true,
		"usr/lib/modules/6.1/extra.ko": true, "etc/systemd/journald.conf": true, "etc/systemd": true,
		"etc/motd": false, "root/.bashrc": false, "usr/local/bin/hello": false, "etc/issue": false,
		"etc/dracut.confx": false,
	} {
		if got := dracutInput(in); got != want {
			t.Errorf("dracutInput(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestInitramfsKey(t *testing.T) {
	dir := t.TempDir()
	over := filepath.Join(dir, profile.OverlayDir)
	for rel, data := range map[string]string{"etc/motd": "hello", "etc/dracut.conf.d/x.conf": "add_drivers+=\" nvme \""} {
		os.MkdirAll(filepath.Join(over, filepath.Dir(rel)), 0o755)
		os.WriteFile(filepath.Join(over, rel), []byte(data), 0o644)
	}
	p := &profile.Profile{Dir: dir, Settings: profile.DefaultSettings(), Overlay: []profile.Entry{
		{Path: "/etc/dracut.conf.d/x.conf", Kind: profile.File, Mode: 0o644},
		{Path: "/etc/motd", Kind: profile.File, Mode: 0o644},
	}}
	key := func() string {
		b := &builder{opts: Options{Profile: p, Settings: p.Settings, Epoch: -1}, rootCacheKey: "root1"}
		k, err := b.initramfsKey("6.1.0")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k0 := key()
	os.WriteFile(filepath.Join(over, "etc/motd"), []byte("changed"), 0o644)
	if key() != k0 {
		t.Error("changing /etc/motd changed the initramfs key")
	}
	os.WriteFile(filepath.Join(over, "etc/dracut.conf.d/x.conf"), []byte("omit_dracutmodules+=\" i18n \""), 0o644)
	k1 := key()
	if k1 == k0 {
		t.Error("changing a dracut.conf.d file left the initramfs key alone")
	}
	p.Settings.OSRelease = append(p.Settings.OSRelease, profile.Field{Key: "VARIANT", Value: "x"})
	if key() == k1 {
		t.Error("changing os-release left the initramfs key alone")
	}
}

func TestStageCacheSize(t *testing.T) {
	c := newStageCache(t.TempDir(), "rootfs")
	data := storedEntry(t, c, "k1", cacheTree(t))
	want, err := treeSize(data)
	if err != nil || want == 0 {
		t.Fatalf("treeSize(entry) = %d, %v", want, err)
	}
	if got, err := c.size("k1"); got != want || err != nil {
		t.Errorf("size(k1) = %d, %v; want %d (treeSize)", got, err, want)
	}
	if got, err := c.size("missing"); err == nil {
		t.Errorf("size(missing) = %d, nil; want an error", got)
	}
}

// storedEntry stores the tree src under key and returns the entry's data
// directory.
func storedEntry(t *testing.T, c *stageCache, key, src string) string {
	t.Helper()
	if err := c.store(key, src); err != nil {
		t.Fatalf("store: %v", err)
	}
	data, ok := c.entry(key)
	if !ok {
		t.Fatalf("entry(%s) missing right after store", key)
	}
	return data
}
