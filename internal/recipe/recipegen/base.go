package recipegen

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// Base returns the text of the base recipe name, one of BaseNames: a
// source package without dependencies, at version 2.1.0, which satisfies
// every constraint generated recipes put on it.
func Base(name string) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("; %s - generated base recipe", name)
	w("; a build tool or library that generated recipes depend on")
	w("")
	w("(package %q \"2.1.0\"", name)
	w("  (description \"Base package %s for the generated recipes\")", name)
	w("  (license \"MIT\")")
	w("  (homepage \"https://example.org/%s\")", name)
	w("")
	w("  (acquire")
	w("    (source \"https://example.org/src/%s-2.1.0.tar.xz\"", name)
	w("      (sha256 \"%x\")))", sha256.Sum256([]byte(name)))
	w("")
	w("  (build")
	w("    (extract tar-xz)")
	w("    (configure)")
	w("    (compile)")
	w("    (test \"make check\")")
	w("    (run \"strip build/%s\"))", name)
	w("")
	w("  (install")
	w("    (to-bin \"build/%s\")", name)
	w("    (to-man \"doc/%s.1\")", name)
	w("    (to-lib \"build/lib%s.so.2\")", name)
	w("    (to-pkgconfig \"build/%s.pc\")", name)
	w("    (to-completions \"completions/%s.bash\" bash)", name)
	w("    (link \"lib%s.so.2\" \"lib/lib%s.so\"))", name, name)
	w("")
	w("  (cleanup sources (keep \"build/config.log\")))")
	w("")
	w("; end of %s", name)
	return b.String()
}
