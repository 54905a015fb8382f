package build

import (
	"context"
	"errors"
	"fmt"
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
		{"init", RPMInitArgv("/w/root", DBPath), "rpm --root /w/root --dbpath /var/lib/rpm --initdb"},
		{"import", RPMImportArgv("/w/root", DBPath, "/k/RPM-GPG-KEY"), "rpm --root /w/root --dbpath /var/lib/rpm --import /k/RPM-GPG-KEY"},
		{"install verify", RPMInstallArgv("/w/root", DBPath, true, []string{"a.rpm", "b.rpm"}),
			"rpm --root /w/root --dbpath /var/lib/rpm -i --verbose --define '_pkgverify_level all' a.rpm b.rpm"},
		{"install no verify", RPMInstallArgv("/w/root", SysimageDBPath, false, []string{"a.rpm"}),
			"rpm --root /w/root --dbpath /usr/lib/sysimage/rpm -i --verbose --nosignature a.rpm"},
		{"dracut", DracutArgv("6.1.0-50-amd64", "/var/tmp/i.img"),
			"dracut --no-hostonly --no-hostonly-cmdline --no-compress --no-early-microcode --add dmsquash-live --omit 'plymouth resume usrmount nvdimm lunmask virtiofs' --force --kver 6.1.0-50-amd64 /var/tmp/i.img"},
		{"initramfs zstd", profile.Compression{Algo: "zstd", Level: 15}.InitramfsCompressArgv(), "zstd -c -q -T0 -15"},
		{"initramfs zstd 22", profile.Compression{Algo: "zstd", Level: 22}.InitramfsCompressArgv(), "zstd -c -q -T0 -19"},
		{"initramfs xz", profile.Compression{Algo: "xz", Option: "x86"}.InitramfsCompressArgv(), "xz -c -T0 --check=crc32 --lzma2=dict=1MiB"},
		{"initramfs lz4", profile.Compression{Algo: "lz4", Option: "hc"}.InitramfsCompressArgv(), "lz4 -c -l -9"},
		{"initramfs gzip", profile.Compression{Algo: "gzip"}.InitramfsCompressArgv(), "gzip -c -n -9"},
		{"mksquashfs zstd", MksquashfsArgv("/w/root", "/w/s.img", profile.Compression{Algo: "zstd", Level: 3}),
			"mksquashfs /w/root /w/s.img -noappend -no-progress -comp zstd -Xcompression-level 3 -wildcards -e 'proc/*' 'sys/*' 'dev/*' 'run/*' 'tmp/*' 'var/tmp/*' 'boot/initramfs-*' 'boot/initrd.img-*' 'var/lib/rpm/*-shm' 'usr/lib/sysimage/rpm/*-shm'"},
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
		{"zstd:23", profile.Compression{}, `compression "zstd:23": zstd level 23 out of range 1-22`},
		{"xz:9", profile.Compression{}, `compression "xz:9": compression xz takes no level`},
		{"zstd:fast", profile.Compression{}, `unexpected "fast" after compression zstd; allowed: a level 1-22`},
		{"zstd:", profile.Compression{}, `unexpected "" after compression zstd`},
		{"brotli", profile.Compression{}, `unknown compression "brotli" (allowed: xz, zstd, lz4, gzip)`},
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
	t0 := time.Unix(1700000000, 0)
	r := &Result{Stages: []StageResult{
		{Name: "rootfs", Duration: 10500 * time.Millisecond, Size: 42, Cached: true},
		{Name: "squashfs", Duration: 4 * time.Second, Compress: 3500 * time.Millisecond, Size: 7,
			Spans: []Span{{t0, t0.Add(3 * time.Second)}, {t0.Add(2 * time.Second), t0.Add(3500 * time.Millisecond)}}},
	}, Total: 15 * time.Second}
	want := "stage        seconds  compress        bytes\n" +
		"rootfs          10.5       0.0           42  cached\n" +
		"squashfs         4.0       3.5            7\n" +
		"total           15.0       3.5\n" +
		"outside compression 11.5 s (77%)\n"
	if got := string(Report(r)); got != want {
		t.Errorf("Report = %q; want %q", got, want)
	}
	o := Outputs("/out/levitateos.iso")
	if o.SHA256SUMS != "/out/SHA256SUMS" || o.Manifest != "/out/levitateos.packages.txt" || o.Report != "/out/levitateos.report.txt" {
		t.Errorf("Outputs(/out/levitateos.iso) = %+v", o)
	}
}

func TestUnionLength(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	at := func(a, b int) Span {
		return Span{t0.Add(time.Duration(a) * time.Second), t0.Add(time.Duration(b) * time.Second)}
	}
	for _, tt := range []struct {
		spans []Span
		want  time.Duration
	}{
		{nil, 0},
		{[]Span{at(0, 3)}, 3 * time.Second},
		{[]Span{at(5, 7), at(0, 3)}, 5 * time.Second},
		{[]Span{at(0, 10), at(2, 3), at(9, 12)}, 12 * time.Second},
		{[]Span{at(0, 3), at(3, 4)}, 4 * time.Second},
	} {
		if got := unionLength(tt.spans); got != tt.want {
			t.Errorf("unionLength(%v) = %v; want %v", tt.spans, got, tt.want)
		}
	}
}

// TestStagesBeside runs two stages side by side: they overlap in time,
// each keeps its own log and size, and a failure cancels the other.
func TestStagesBeside(t *testing.T) {
	work := t.TempDir()
	os.MkdirAll(filepath.Join(work, logsDir), 0o755)
	b := &builder{opts: Options{Work: work}}
	sleep := func(d time.Duration, size int64, fail bool) func(*builder, context.Context) error {
		return func(b *builder, ctx context.Context) error {
			fmt.Fprintf(b.log, "size %d\n", size)
			b.size = size
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return ctx.Err()
			}
			if fail {
				return errors.New("broken")
			}
			return nil
		}
	}
	start := time.Now()
	rs, errs := b.runGroup(t.Context(), []Stage{{Name: "a", run: sleep(300*time.Millisecond, 1, false)}, {Name: "b", Beside: true, run: sleep(300*time.Millisecond, 2, false)}})
	if el := time.Since(start); el > 550*time.Millisecond || errs[0] != nil || errs[1] != nil {
		t.Errorf("two 300 ms stages side by side took %v (errors %v); want about 300 ms", el, errs)
	}
	if rs[0].Size != 1 || rs[1].Size != 2 {
		t.Errorf("sizes = %d, %d; want 1, 2 (each stage its own)", rs[0].Size, rs[1].Size)
	}
	for _, n := range []string{"a", "b"} {
		if data, _ := os.ReadFile(b.logPath(n)); !strings.HasPrefix(string(data), "size ") {
			t.Errorf("log of %s = %q", n, data)
		}
	}
	start = time.Now()
	_, errs = b.runGroup(t.Context(), []Stage{{Name: "a", run: sleep(10*time.Second, 1, false)}, {Name: "b", Beside: true, run: sleep(50*time.Millisecond, 2, true)}})
	if el := time.Since(start); el > 5*time.Second || !errors.Is(errs[0], context.Canceled) || errs[1] == nil {
		t.Errorf("a failing stage: took %v, errors %v; want the other canceled at once", el, errs)
	}
}
