package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
)

func TestArgv(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want string
	}{
		{"init", RPMInitArgv("/w/root"), "rpm --root /w/root --dbpath /var/lib/rpm --initdb"},
		{"import", RPMImportArgv("/w/root", "/k/RPM-GPG-KEY"), "rpm --root /w/root --dbpath /var/lib/rpm --import /k/RPM-GPG-KEY"},
		{"install verify", RPMInstallArgv("/w/root", true, []string{"a.rpm", "b.rpm"}),
			"rpm --root /w/root --dbpath /var/lib/rpm -i --verbose --define '_pkgverify_level all' a.rpm b.rpm"},
		{"install no verify", RPMInstallArgv("/w/root", false, []string{"a.rpm"}),
			"rpm --root /w/root --dbpath /var/lib/rpm -i --verbose --nosignature a.rpm"},
		{"dracut", DracutArgv("6.1.0-50-amd64", "/var/tmp/i.img"),
			"dracut --no-hostonly --no-hostonly-cmdline --add dmsquash-live --force --kver 6.1.0-50-amd64 /var/tmp/i.img"},
		{"mksquashfs zstd", MksquashfsArgv("/w/root", "/w/s.img", profile.Compression{Algo: "zstd", Level: 3}),
			"mksquashfs /w/root /w/s.img -noappend -no-progress -comp zstd -Xcompression-level 3 -wildcards -e 'proc/*' 'sys/*' 'dev/*' 'run/*' 'tmp/*' 'var/tmp/*' 'boot/initramfs-*' 'boot/initrd.img-*'"},
		{"mksquashfs xz", MksquashfsArgv("/r", "/s", profile.Compression{Algo: "xz", Option: "x86"})[:10:10],
			"mksquashfs /r /s -noappend -no-progress -comp xz -Xbcj x86 -wildcards"},
		{"recipe", RecipeBuildArgv("/w/recipe"), "go build -trimpath -o /w/recipe ./cmd/recipe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quote(tt.got); got != tt.want {
				t.Errorf("%s argv = %s; want %s", tt.name, got, tt.want)
			}
		})
	}
}

// quote renders argv like run.Quote, kept local so the test pins the
// exact text.
func quote(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if strings.ContainsAny(a, " *'") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

func TestInChrootArgv(t *testing.T) {
	got := InChrootArgv("/w/root", "dracut", "--force")
	want := []string{"unshare", "--mount", "--propagation", "private", "--", "sh", "-c", chrootScript, "sh", "/w/root", "dracut", "--force"}
	if !slices.Equal(got, want) {
		t.Errorf("InChrootArgv = %q; want %q", got, want)
	}
	// The root and the command must stay positional, never part of the
	// script text.
	if strings.Contains(chrootScript, "/w/root") || !strings.Contains(chrootScript, `exec chroot "$root" "$@"`) {
		t.Errorf("chrootScript = %q; want a constant script using $root and $@", chrootScript)
	}
}

func TestParseCompression(t *testing.T) {
	tests := []struct {
		in      string
		want    profile.Compression
		wantErr string
	}{
		{"zstd", profile.Compression{Algo: "zstd"}, ""},
		{"zstd:3", profile.Compression{Algo: "zstd", Level: 3}, ""},
		{"xz:x86", profile.Compression{Algo: "xz", Option: "x86"}, ""},
		{"lz4:hc", profile.Compression{Algo: "lz4", Option: "hc"}, ""},
		{"gzip:9", profile.Compression{Algo: "gzip", Level: 9}, ""},
		{"zstd:23", profile.Compression{}, "level must be 1-22"},
		{"xz:9", profile.Compression{}, `takes only "x86"`},
		{"brotli", profile.Compression{}, "unknown algorithm"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCompression(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseCompression(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseCompression(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindKernel(t *testing.T) {
	tests := []struct {
		name     string
		files    []string
		wantVer  string
		wantFile string
		wantErr  string
	}{
		{"rocky", []string{"usr/lib/modules/6.12.0-55.el10.x86_64/vmlinuz"}, "6.12.0-55.el10.x86_64", "usr/lib/modules/6.12.0-55.el10.x86_64/vmlinuz", ""},
		{"debian", []string{"lib/modules/6.1.0-50-amd64/modules.dep", "boot/vmlinuz-6.1.0-50-amd64"}, "6.1.0-50-amd64", "boot/vmlinuz-6.1.0-50-amd64", ""},
		{"none", []string{"etc/hostname"}, "", "", "no kernel"},
		{"modules without image", []string{"lib/modules/6.1/modules.dep"}, "", "", "no kernel"},
		{"two", []string{"usr/lib/modules/6.1/vmlinuz", "usr/lib/modules/6.2/vmlinuz"}, "", "", "several kernels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range tt.files {
				touch(t, filepath.Join(root, f))
			}
			k, err := FindKernel(root)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("FindKernel(%v) = %+v, %v; want error %q", tt.files, k, err, tt.wantErr)
				}
				return
			}
			if err != nil || k.Version != tt.wantVer || k.Image != filepath.Join(root, tt.wantFile) {
				t.Errorf("FindKernel(%v) = %+v, %v; want %s at %s", tt.files, k, err, tt.wantVer, tt.wantFile)
			}
		})
	}
}

func TestManifestAndReport(t *testing.T) {
	c := &closure.Closure{Entries: []closure.Entry{
		{Pkg: &repo.Package{NEVRA: rpm.NEVRA{Name: "bash", EVR: rpm.EVR{Version: "5.2.15", Release: "2"}, Arch: "x86_64"}, Size: 1846104}},
		{Pkg: &repo.Package{NEVRA: rpm.NEVRA{Name: "zlib1g", EVR: rpm.EVR{Epoch: 1, Version: "1.2.13", Release: "1"}, Arch: "x86_64"}, Size: 90}},
	}}
	if got, want := string(Manifest(c)), "bash\t5.2.15-2.x86_64\t1846104\nzlib1g\t1:1.2.13-1.x86_64\t90\n"; got != want {
		t.Errorf("Manifest = %q; want %q", got, want)
	}
	r := &Result{Stages: []StageResult{{Name: "rootfs", Duration: 10500 * time.Millisecond, Size: 42}}, Total: 11 * time.Second}
	want := "stage        seconds        bytes\nrootfs          10.5           42\ntotal           11.0\n"
	if got := string(Report(r)); got != want {
		t.Errorf("Report = %q; want %q", got, want)
	}
	o := Outputs("/out/levitateos.iso")
	if o.SHA256SUMS != "/out/SHA256SUMS" || o.Manifest != "/out/levitateos.packages.txt" || o.Report != "/out/levitateos.report.txt" {
		t.Errorf("Outputs(/out/levitateos.iso) = %+v", o)
	}
}
