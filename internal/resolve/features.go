package resolve

import (
	"fmt"
	"slices"
	"strings"
)

// FeatureError reports a feature request that cannot be honoured.
type FeatureError struct {
	Package string // package name (or "name version" for a version-specific problem)
	Feature string
	Known   []string // the features the package declares, sorted
	Msg     string   // what is wrong, e.g. "unknown feature"
}

func (e *FeatureError) Error() string {
	s := fmt.Sprintf("%s: %s %q", e.Package, e.Msg, e.Feature)
	if e.Known == nil {
		return s
	}
	if len(e.Known) == 0 {
		return s + " (it has no features)"
	}
	return s + " (features: " + strings.Join(e.Known, ", ") + ")"
}

// featureRequest is the merged feature switches asked for one name.
type featureRequest struct {
	on, off []string
}

// parseFeatures splits "x" / "-x" switches. A feature both switched on and
// off is an error.
func parseFeatures(name string, fs []string, into *featureRequest) error {
	for _, f := range fs {
		off := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(strings.TrimPrefix(f, "-"), "+")
		if f == "" {
			return &FeatureError{Package: name, Feature: f, Msg: "empty feature name"}
		}
		if (off && slices.Contains(into.on, f)) || (!off && slices.Contains(into.off, f)) {
			return &FeatureError{Package: name, Feature: f, Msg: "contradictory switches for feature"}
		}
		if off {
			into.off = append(into.off, f)
		} else {
			into.on = append(into.on, f)
		}
	}
	return nil
}

func featureNames(p *Package) []string {
	names := make([]string, 0, len(p.Features))
	for _, f := range p.Features {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}

// enabledFeatures computes the enabled set of p: defaults plus fr.on minus
// fr.off, closed under implies. Switching on a feature p lacks, or
// switching off a feature that an enabled one implies, is an error. The
// result is sorted.
func enabledFeatures(p *Package, fr featureRequest) ([]string, error) {
	byName := make(map[string]*Feature, len(p.Features))
	for i := range p.Features {
		byName[p.Features[i].Name] = &p.Features[i]
	}
	var work []string
	for _, f := range p.Features {
		if f.Default && !slices.Contains(fr.off, f.Name) {
			work = append(work, f.Name)
		}
	}
	for _, f := range fr.on {
		if byName[f] == nil {
			return nil, &FeatureError{Package: p.ID(), Feature: f, Known: featureNames(p), Msg: "unknown feature"}
		}
		work = append(work, f)
	}
	enabled := make(map[string]bool)
	var out []string
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if enabled[f] {
			continue
		}
		enabled[f] = true
		out = append(out, f)
		for _, imp := range byName[f].Implies {
			if byName[imp] == nil {
				return nil, &FeatureError{Package: p.ID(), Feature: imp, Known: featureNames(p),
					Msg: fmt.Sprintf("feature %q implies unknown feature", f)}
			}
			if slices.Contains(fr.off, imp) {
				return nil, &FeatureError{Package: p.ID(), Feature: imp,
					Msg: fmt.Sprintf("enabled feature %q implies disabled feature", f)}
			}
			work = append(work, imp)
		}
	}
	slices.Sort(out)
	return out, nil
}

// applies reports whether a dependency condition holds under the sorted
// enabled feature set.
func applies(cond string, enabled []string) bool {
	switch {
	case cond == "":
		return true
	case strings.HasPrefix(cond, "!"):
		_, found := slices.BinarySearch(enabled, cond[1:])
		return !found
	default:
		_, found := slices.BinarySearch(enabled, cond)
		return found
	}
}
