package closure

import (
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
)

type universe func(t testing.TB) []*repo.Package

func TestScenarios(t *testing.T) {
	kernels := func(t testing.TB) []*repo.Package {
		return []*repo.Package{
			pkg(t, "kernel-6.12.0-55.el10.x86_64", "R:kernel-core = 6.12.0-55.el10", "R:kernel-modules = 6.12.0-55.el10"),
			pkg(t, "kernel-core-6.12.0-55.el10.x86_64", "R:linux-firmware >= 20240115", "R:/usr/bin/sh"),
			pkg(t, "kernel-modules-6.12.0-55.el10.x86_64", "R:kernel-core = 6.12.0-55.el10"),
			pkg(t, "kernel-tools-6.12.0-55.el10.x86_64"),
			pkg(t, "linux-firmware-20250101-1.el10.noarch"),
			pkg(t, "bash-5.2.26-4.el10.x86_64", "F:/usr/bin/bash", "F:/usr/bin/sh", "R:rpmlib(CompressedFileNames) <= 3.0.4-1"),
		}
	}
	tests := []struct {
		name string
		pkgs universe
		reqs []string
		want string // space-separated NEVRAs, or "error: ..." substring list joined by "|"
	}{
		{"kernel takes its deps but never kernel-tools by prefix", kernels, []string{"kernel"},
			"bash-5.2.26-4.el10.x86_64 kernel-6.12.0-55.el10.x86_64 kernel-core-6.12.0-55.el10.x86_64 kernel-modules-6.12.0-55.el10.x86_64 linux-firmware-20250101-1.el10.noarch"},
		{"kernel-core alone does not take kernel", kernels, []string{"kernel-core"},
			"bash-5.2.26-4.el10.x86_64 kernel-core-6.12.0-55.el10.x86_64 linux-firmware-20250101-1.el10.noarch"},
		{"no deps", kernels, []string{"kernel-tools"}, "kernel-tools-6.12.0-55.el10.x86_64"},
		{"unsatisfiable names package and requirement", func(t testing.TB) []*repo.Package {
			return kernels(t)[:3]
		}, []string{"kernel"},
			`error: kernel-core-6.12.0-55.el10.x86_64 requires "/usr/bin/sh": nothing provides it|kernel-core-6.12.0-55.el10.x86_64 requires "linux-firmware >= 20240115": nothing provides it|2 problems`},
		{"version too old is unsatisfiable", func(t testing.TB) []*repo.Package {
			return append(kernels(t)[:4], pkg(t, "linux-firmware-20230101-1.el10.noarch"), kernels(t)[5])
		}, []string{"kernel-core"},
			`error: kernel-core-6.12.0-55.el10.x86_64 requires "linux-firmware >= 20240115": nothing provides it`},
		{"unknown name lists closest", kernels, []string{"kernal", "bash"},
			`error: packages.txt:1: unknown package "kernal" (closest: kernel)`},
		{"chain and cycle", func(t testing.TB) []*repo.Package {
			return []*repo.Package{
				pkg(t, "a-1-1.noarch", "R:b"), pkg(t, "b-1-1.noarch", "R:c"), pkg(t, "c-1-1.noarch", "pre:a"),
			}
		}, []string{"a"}, "a-1-1.noarch b-1-1.noarch c-1-1.noarch"},
		{"newest version wins", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "foo-1.0-1.noarch"), pkg(t, "foo-1.10-1.noarch"), pkg(t, "foo-1.9-1.noarch")}
		}, []string{"foo"}, "foo-1.10-1.noarch"},
		{"epoch beats version", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "foo-1:1.0-1.noarch"), pkg(t, "foo-2.0-1.noarch")}
		}, []string{"foo"}, "foo-1:1.0-1.noarch"},
		{"version range picks newest inside", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:foo < 3"), pkg(t, "foo-1-1.noarch"), pkg(t, "foo-2-1.noarch"), pkg(t, "foo-3-1.noarch")}
		}, []string{"app"}, "app-1-1.noarch foo-2-1.noarch"},
		{"missing release matches any release", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:foo = 2.0"), pkg(t, "foo-2.0-7.el10.noarch")}
		}, []string{"app"}, "app-1-1.noarch foo-2.0-7.el10.noarch"},
		{"tilde sorts before release", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:foo >= 1.0"), pkg(t, "foo-1.0~rc1-1.noarch")}
		}, []string{"app"}, `error: app-1-1.noarch requires "foo >= 1.0": nothing provides it`},
		{"virtual provide: requested name preferred", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:mta"), pkg(t, "postfix-3-1.x86_64", "P:mta"), pkg(t, "sendmail-8-1.x86_64", "P:mta")}
		}, []string{"app", "sendmail"}, "app-1-1.noarch sendmail-8-1.x86_64"},
		{"virtual provide: deterministic by name", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:mta"), pkg(t, "sendmail-8-1.x86_64", "P:mta"), pkg(t, "postfix-3-1.x86_64", "P:mta")}
		}, []string{"app"}, "app-1-1.noarch postfix-3-1.x86_64"},
		{"file dependency", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:/usr/bin/sh"), kernels(t)[5]}
		}, []string{"app"}, "app-1-1.noarch bash-5.2.26-4.el10.x86_64"},
		{"rich or takes the first possible", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(nope or gui or cli)"), pkg(t, "cli-1-1.noarch"), pkg(t, "gui-1-1.noarch")}
		}, []string{"app"}, "app-1-1.noarch gui-1-1.noarch"},
		{"rich or already satisfied", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(gui or cli)"), pkg(t, "cli-1-1.noarch"), pkg(t, "gui-1-1.noarch")}
		}, []string{"app", "cli"}, "app-1-1.noarch cli-1-1.noarch"},
		{"rich and with versions", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(cli >= 2 and gui)"), pkg(t, "cli-1-1.noarch"), pkg(t, "cli-2-1.noarch"), pkg(t, "gui-1-1.noarch")}
		}, []string{"app"}, "app-1-1.noarch cli-2-1.noarch gui-1-1.noarch"},
		{"rich if: condition absent", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(app-langpack if glibc)"), pkg(t, "app-langpack-1-1.noarch"), pkg(t, "glibc-2-1.x86_64")}
		}, []string{"app"}, "app-1-1.noarch"},
		{"rich if: condition added later", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(app-langpack if glibc)"), pkg(t, "app-langpack-1-1.noarch"), pkg(t, "glibc-2-1.x86_64"), pkg(t, "zz-1-1.noarch", "R:glibc")}
		}, []string{"app", "zz"}, "app-1-1.noarch app-langpack-1-1.noarch glibc-2-1.x86_64 zz-1-1.noarch"},
		{"rich if else", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(a if glibc else b)"), pkg(t, "a-1-1.noarch"), pkg(t, "b-1-1.noarch"), pkg(t, "glibc-2-1.x86_64")}
		}, []string{"app"}, "app-1-1.noarch b-1-1.noarch"},
		{"rich unless", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(a unless b)"), pkg(t, "a-1-1.noarch"), pkg(t, "b-1-1.noarch")}
		}, []string{"app", "b"}, "app-1-1.noarch b-1-1.noarch"},
		{"rich with: one package both ways", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(lang with lang(big))"), pkg(t, "lang-a-1-1.noarch", "P:lang"), pkg(t, "lang-b-1-1.noarch", "P:lang", "P:lang(big)")}
		}, []string{"app"}, "app-1-1.noarch lang-b-1-1.noarch"},
		{"rich without", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:(lang without lang-a)"), pkg(t, "lang-a-1-1.noarch", "P:lang"), pkg(t, "lang-b-1-1.noarch", "P:lang")}
		}, []string{"app"}, "app-1-1.noarch lang-b-1-1.noarch"},
		{"nested rich", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:((a and b) or (c if app))"), pkg(t, "b-1-1.noarch"), pkg(t, "c-1-1.noarch")}
		}, []string{"app"}, "app-1-1.noarch c-1-1.noarch"},
		{"conflicting versions", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "a-1-1.noarch", "R:foo = 1"), pkg(t, "b-1-1.noarch", "R:foo = 2"), pkg(t, "foo-1-1.noarch"), pkg(t, "foo-2-1.noarch")}
		}, []string{"a", "b"}, `error: b-1-1.noarch requires "foo = 2": nothing provides it (foo-2-1.noarch would, but foo-1-1.noarch is already chosen)`},
		{"explicit conflict", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "a-1-1.noarch", "C:b < 2"), pkg(t, "b-1-1.noarch")}
		}, []string{"a", "b"}, `error: a-1-1.noarch conflicts with b-1-1.noarch ("b < 2")`},
		{"obsoleted provider avoided", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "app-1-1.noarch", "R:tiny-old"), pkg(t, "tiny-old-0.9-1.noarch"),
				pkg(t, "tiny-new-1.0-1.noarch", "O:tiny-old < 1.0", "P:tiny-old = 1.0-1")}
		}, []string{"app"}, "app-1-1.noarch tiny-new-1.0-1.noarch"},
		{"arch preference", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "foo-1-1.i686"), pkg(t, "foo-1-1.x86_64"), pkg(t, "bar-1-1.i686"), pkg(t, "bar-1-1.noarch")}
		}, []string{"foo", "bar"}, "bar-1-1.noarch foo-1-1.x86_64"},
		{"rpmlib and self requirements", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "a-1-1.x86_64", "R:rpmlib(PayloadIsZstd) <= 5.4.18-1", "R:liba.so.1()(64bit)", "P:liba.so.1()(64bit)", "R:a = 1-1")}
		}, []string{"a"}, "a-1-1.x86_64"},
		{"all problems at once, sorted", func(t testing.TB) []*repo.Package {
			return []*repo.Package{pkg(t, "z-1-1.noarch", "R:missing-z"), pkg(t, "a-1-1.noarch", "R:missing-a", "R:(x or y)")}
		}, []string{"z", "a", "nosuch"},
			`error: a-1-1.noarch requires "(x or y)": nothing provides it|a-1-1.noarch requires "missing-a": nothing provides it|packages.txt:3: unknown package "nosuch"|z-1-1.noarch requires "missing-z": nothing provides it`},
	}
	if len(tests) < 20 {
		t.Fatalf("only %d scenarios", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := repo.NewIndex(tt.pkgs(t))
			c, err := Resolve([]Input{{ID: "test", Index: ix}}, reqs(tt.reqs...))
			if want, isErr := strings.CutPrefix(tt.want, "error: "); isErr {
				if err == nil {
					t.Fatalf("Resolve(%v) = %v; want error %q", tt.reqs, c.Names(), want)
				}
				for _, w := range strings.Split(want, "|") {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("Resolve(%v) error = %q; want it to contain %q", tt.reqs, err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%v) = %v; want %s", tt.reqs, err, tt.want)
			}
			if got := strings.Join(c.Names(), " "); got != tt.want {
				t.Errorf("Resolve(%v) = %s; want %s", tt.reqs, got, tt.want)
			}
		})
	}
}
