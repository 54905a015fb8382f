package recipecmd

import (
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/version"
)

// parseRequest reads a package argument: NAME, NAME[feat,-feat], optionally
// followed by a constraint ("foo[gui] >= 1.2", "foo>=1.2"). Features in
// brackets are switched on, "-feat" switches a default feature off.
func parseRequest(arg string) (resolve.Request, error) {
	s := arg
	var feats []string
	if i := strings.IndexByte(s, '['); i >= 0 {
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return resolve.Request{}, fmt.Errorf("package %q: missing ']' after features", arg)
		}
		for _, f := range strings.Split(s[i+1:i+j], ",") {
			f = strings.TrimSpace(f)
			if f == "" || f == "-" {
				return resolve.Request{}, fmt.Errorf("package %q: empty feature name", arg)
			}
			feats = append(feats, f)
		}
		s = s[:i] + " " + s[i+j+1:]
	}
	name, c, err := version.ParseDep(strings.TrimSpace(s))
	if err != nil {
		return resolve.Request{}, fmt.Errorf("package %q: %w", arg, err)
	}
	return resolve.Request{Name: name, Constraint: c, Features: feats}, nil
}
