package chroot

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestArgv(t *testing.T) {
	got := Argv("/mnt", "/etc/resolv.conf", "ls", "-l", "$(evil)")
	if got[0] != "unshare" || !slices.Contains(got, "--mount") || !slices.Contains(got, "private") {
		t.Errorf("Argv = %q; want unshare --mount --propagation private", got)
	}
	// The script is constant: the arguments come after it, verbatim.
	if i := slices.Index(got, mountScript); i < 0 || !slices.Equal(got[i+1:], []string{"sh", "/mnt", "/etc/resolv.conf", "chroot", "ls", "-l", "$(evil)"}) {
		t.Errorf("Argv = %q; want the script then sh /mnt /etc/resolv.conf chroot ls -l $(evil)", got)
	}
	host := HostArgv("/mnt", "rpm", "-i")
	if !slices.Equal(host[len(host)-5:], []string{"/mnt", "", "host", "rpm", "-i"}) {
		t.Errorf("HostArgv = %q; want ... /mnt '' host rpm -i", host)
	}
}

func TestPrepare(t *testing.T) {
	root := t.TempDir()
	if err := Prepare(root); err != nil {
		t.Fatal(err)
	}
	want := map[string]fs.FileMode{"proc": 0o555, "sys": 0o555, "dev": 0o755, "run": 0o755, "tmp": fs.ModeSticky | 0o777}
	for d, m := range want {
		fi, err := os.Stat(filepath.Join(root, d))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (fs.ModePerm | fs.ModeSticky); got != m {
			t.Errorf("mode of %s = %v; want %v", d, got, m)
		}
	}
	file := filepath.Join(root, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Prepare(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Prepare(file) = %v; want not a directory", err)
	}
}

func TestResolvTarget(t *testing.T) {
	if _, err := os.Stat("/etc/resolv.conf"); err != nil {
		t.Skip("host has no /etc/resolv.conf: ResolvTarget is always empty")
	}
	mk := func(t *testing.T, setup func(root string)) string {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
			t.Fatal(err)
		}
		setup(root)
		return root
	}
	tests := []struct {
		name  string
		setup func(root string)
		want  string
	}{
		{"file", func(r string) { os.WriteFile(filepath.Join(r, "etc/resolv.conf"), nil, 0o644) }, "/etc/resolv.conf"},
		{"none", func(string) {}, ""},
		{"dangling stub", func(r string) {
			os.Symlink("../run/systemd/resolve/stub-resolv.conf", filepath.Join(r, "etc/resolv.conf"))
		}, ""},
		{"absolute link", func(r string) {
			os.MkdirAll(filepath.Join(r, "var/lib"), 0o755)
			os.WriteFile(filepath.Join(r, "var/lib/resolv"), nil, 0o644)
			os.Symlink("/var/lib/resolv", filepath.Join(r, "etc/resolv.conf"))
		}, "/var/lib/resolv"},
		{"directory", func(r string) { os.Mkdir(filepath.Join(r, "etc/resolv.conf"), 0o755) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := mk(t, tt.setup)
			if got := ResolvTarget(root); got != tt.want {
				t.Errorf("ResolvTarget(%s) = %q; want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestRealChroot runs commands in a root made of a static busybox: the
// API file systems are there inside and gone afterwards.
func TestRealChroot(t *testing.T) {
	busybox, err := exec.LookPath("busybox")
	for _, tool := range append(Tools(), "busybox") {
		if _, lerr := exec.LookPath(tool); lerr != nil {
			err = lerr
		}
	}
	if err == nil && os.Geteuid() != 0 {
		err = CheckRoot()
	}
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(busybox)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin/busybox"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Prepare(root); err != nil {
		t.Fatal(err)
	}
	argv := Argv(root, "", "/bin/busybox", "sh", "-c", "/bin/busybox cat /proc/self/mounts; /bin/busybox ls /dev/null")
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%q: %v\n%s", argv, err, out)
	}
	for _, w := range []string{"proc /proc proc", "sysfs /sys sysfs", "/tmp tmpfs", "/dev/null"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("inside the chroot: output lacks %q:\n%s", w, out)
		}
	}
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(mi), root) {
		t.Errorf("mounts under %s leaked to the host", root)
	}
}
