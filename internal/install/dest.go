package install

import (
	"fmt"
	"path"
	"strings"

	"github.com/levitateos/levitate/internal/recipe"
)

// prefixRel is Prefix relative to ROOT.
const prefixRel = "usr"

// destination returns the ROOT-relative path an install step writes,
// resolving the defaults of docs/recipe-format.md. It refuses any result
// that is not a clean path inside its intended directory: the decoder
// checks recipes it reads, this check guards Recipe values built otherwise.
func destination(st recipe.InstallStep) (string, error) {
	base := path.Base(st.Src)
	name := func(def string) string {
		if st.Dest != "" {
			return st.Dest
		}
		return def
	}
	var dir, rel string
	switch st.Kind {
	case recipe.ToBin:
		dir, rel = prefixRel+"/bin", name(base)
	case recipe.ToLib:
		dir, rel = prefixRel+"/lib", name(base)
	case recipe.ToMan:
		sec := manSection(base)
		if sec == "" {
			return "", fmt.Errorf("%s: to-man %q: no section suffix (.1 to .9)", st.Pos, st.Src)
		}
		dir, rel = prefixRel+"/share/man/man"+sec, name(base)
	case recipe.ToShare:
		dir, rel = prefixRel+"/share", name(base)
	case recipe.ToConfig:
		if !strings.HasPrefix(st.Dest, "/") {
			return "", fmt.Errorf("%s: to-config %q: destination %q is not absolute", st.Pos, st.Src, st.Dest)
		}
		dir, rel = ".", strings.TrimLeft(st.Dest, "/")
	case recipe.ToInclude:
		dir, rel = prefixRel+"/include", path.Join(st.Dest, base)
	case recipe.ToPkgconfig:
		dir, rel = prefixRel+"/lib/pkgconfig", name(base)
	case recipe.ToSystemd:
		dir, rel = prefixRel+"/lib/systemd/system", name(base)
	case recipe.ToCompletions:
		switch st.Shell {
		case "bash":
			dir, rel = prefixRel+"/share/bash-completion/completions", name(strings.TrimSuffix(base, ".bash"))
		case "zsh":
			dir, rel = prefixRel+"/share/zsh/site-functions", name(base)
		case "fish":
			dir, rel = prefixRel+"/share/fish/vendor_completions.d", name(base)
		default:
			return "", fmt.Errorf("%s: to-completions %q: unknown shell %q", st.Pos, st.Src, st.Shell)
		}
	case recipe.Link:
		dir, rel = prefixRel, strings.TrimPrefix(strings.TrimPrefix(st.Dest, "$PREFIX/"), Prefix+"/")
	default:
		return "", fmt.Errorf("%s: unknown install step %q", st.Pos, st.Kind)
	}
	if rel == "" || strings.HasPrefix(rel, "/") || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%s: %s %q: destination %q climbs out of %s", st.Pos, st.Kind, st.Src, rel, "/"+dir)
	}
	return path.Join(dir, rel), nil
}

// checkSource refuses a build-directory path that is absolute or climbs
// out. os.Root would refuse it as well; this gives the better message.
func checkSource(st recipe.InstallStep) error {
	s := st.Src
	if s == "" || strings.HasPrefix(s, "/") || path.Clean(s) == ".." || strings.HasPrefix(path.Clean(s), "../") {
		return fmt.Errorf("%s: %s %q: source must be a path inside the build directory", st.Pos, st.Kind, s)
	}
	return nil
}

// manSection returns N of "x.N" or "x.N.gz", "" when there is none.
func manSection(name string) string {
	name = strings.TrimSuffix(name, ".gz")
	i := strings.LastIndexByte(name, '.')
	if i < 0 || i == len(name)-1 || name[i+1] < '1' || name[i+1] > '9' {
		return ""
	}
	return name[i+1 : i+2]
}
