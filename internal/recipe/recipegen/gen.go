// Package recipegen writes synthetic but realistic recipe directories for
// benchmarks: every generated recipe is valid, 30 to 60 lines long, and
// uses a varied mix of the language's forms. Dependencies point only at
// packages with a lower index, with constraints those packages satisfy,
// and at the base tools of BaseNames, which WriteDir writes too, so the set
// resolves without cycles and without stubs.
package recipegen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// syllables make package names look like words.
const syllables = "lib wl xkb gtk qt py rust go z ssl curl git vim tmux fish sway mesa llvm gcc perl"

// Name returns the package name of recipe i.
func Name(i int) string {
	s := strings.Fields(syllables)
	return fmt.Sprintf("%s-%s%d", s[i%len(s)], s[(i/len(s))%len(s)], i)
}

// version returns the version of recipe i; constraints on it are derived
// from the same numbers.
func version(i int) (major, minor, patch int) { return 1 + i%7, i % 13, i % 5 }

// BaseNames returns the build tools and libraries that generated recipes
// depend on besides each other.
func BaseNames() []string { return []string{"pkgconf", "meson", "ninja", "sphinx", "ncurses"} }

// WriteDir writes n recipes, NAME.recipe for NAME = Name(0) ... Name(n-1),
// into dir, and one recipe for each of BaseNames, n+len(BaseNames()) files
// in all. The same seed gives the same files.
func WriteDir(dir string, n int, seed int64) error {
	for _, name := range BaseNames() {
		if err := os.WriteFile(filepath.Join(dir, name+".recipe"), []byte(Base(name)), 0o644); err != nil {
			return fmt.Errorf("write base recipe %s: %w", name, err)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	for i := range n {
		src := Recipe(rng, i)
		if err := os.WriteFile(filepath.Join(dir, Name(i)+".recipe"), []byte(src), 0o644); err != nil {
			return fmt.Errorf("write recipe %d: %w", i, err)
		}
	}
	return nil
}

// Recipe returns the text of recipe i.
func Recipe(rng *rand.Rand, i int) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	maj, mn, pt := version(i)
	name := Name(i)
	w("; %s - generated recipe %d", name, i)
	w("; a synthetic package for benchmarks")
	w("")
	w("(package %q \"%d.%d.%d\"", name, maj, mn, pt)
	w("  (description \"Synthetic package number %d with a longer description\")", i)
	w("  (license \"MIT\" \"Apache-2.0\")")
	w("  (homepage \"https://example.org/%s\")", name)
	if rng.IntN(3) == 0 {
		w("  (maintainer \"Jane Doe <jane@example.org>\")")
	}
	features := rng.IntN(3) == 0
	if features {
		w("  (features (docs \"Build the manual\") (gui default (implies x11)) (x11))")
	}
	w("")
	deps(w, rng, i, features)
	w("")
	hash := fmt.Sprintf("%016x%016x%016x%016x", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
	switch rng.IntN(4) {
	case 0:
		w("  (acquire")
		w("    (binary")
		w("      (x86_64 \"https://example.org/dl/%s-x86_64.tar.gz\" (sha256 %q))", name, hash)
		w("      (aarch64 \"https://example.org/dl/%s-aarch64.tar.gz\" (sha256 %q))))", name, hash)
	case 1:
		w("  (acquire (git \"https://example.org/git/%s.git\" (tag \"v%d.%d.%d\")))", name, maj, mn, pt)
	default:
		w("  (acquire")
		w("    (source \"https://example.org/src/%s-%d.%d.%d.tar.xz\"", name, maj, mn, pt)
		w("      (sha256 %q)))", hash)
	}
	w("")
	build(w, rng, name)
	w("")
	w("  (install")
	w("    (to-bin \"build/%s\")", name)
	w("    (to-bin \"build/%s-helper\" \"%s-h\" (mode 750))", name, name)
	w("    (to-man \"doc/%s.1\")", name)
	w("    (to-lib \"build/lib%s.so.1\")", name)
	w("    (to-pkgconfig \"build/%s.pc\")", name)
	w("    (to-completions \"completions/%s.bash\" bash)", name)
	w("    (link \"lib%s.so.1\" \"lib/lib%s.so\"))", name, name)
	if rng.IntN(4) == 0 {
		service(w, name)
	}
	w("")
	w("  (cleanup sources (keep \"build/config.log\")))")
	return b.String()
}

type writer func(format string, args ...any)

func deps(w writer, rng *rand.Rand, i int, features bool) {
	w("  (deps")
	w("    (build \"pkgconf >= 1.8\" \"meson\" \"ninja\")")
	var run []string
	for k := rng.IntN(5); k > 0 && i > 0; k-- {
		j := rng.IntN(i)
		maj, mn, _ := version(j)
		switch rng.IntN(3) {
		case 0:
			run = append(run, fmt.Sprintf("%q", Name(j)))
		case 1:
			run = append(run, fmt.Sprintf("\"%s >= %d.%d\"", Name(j), maj, mn))
		default:
			run = append(run, fmt.Sprintf("\"%s >= %d, < %d\"", Name(j), maj, maj+1))
		}
	}
	line := "    (runtime"
	for _, r := range uniq(run) {
		line += " " + r
	}
	if features {
		w("%s", line)
		w("      (if docs \"sphinx\")")
		w("      (if !gui \"ncurses\")))")
	} else {
		w("%s))", line)
	}
}

func uniq(s []string) []string {
	var out []string
	for _, x := range s {
		dup := false
		for _, y := range out {
			if strings.Fields(strings.Trim(x, `"`))[0] == strings.Fields(strings.Trim(y, `"`))[0] {
				dup = true
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

func build(w writer, rng *rand.Rand, name string) {
	w("  (build")
	w("    (extract tar-xz)")
	switch rng.IntN(3) {
	case 0:
		w("    (configure)")
		w("    (compile)")
		w("    (test \"make check\")")
	case 1:
		w("    (meson)")
		w("    (ninja)")
		w("    (run \"ninja -C build install\")")
	default:
		w("    (cargo \"build --release --locked\")")
		w("    (run \"install -Dm755 target/release/%s build/%s\")", name, name)
	}
	w("    (run \"strip build/%s\"))", name)
}

func service(w writer, name string) {
	w("")
	w("  (configure")
	w("    (create-user \"svc%d\" system no-login)", len(name))
	w("    (create-dir \"/var/lib/%s\" \"svc%d\"))", name, len(name))
	w("  (start (service systemd %q))", name)
	w("  (stop (service-stop %q))", name)
	w("  (remove stop-first (rm-data \"/var/lib/%s\" keep))", name)
}
