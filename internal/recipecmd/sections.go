package recipecmd

import (
	"strings"

	"github.com/levitateos/levitate/internal/recipe"
)

// The one-line renderings of the sections after install, shared by the
// text and JSON outputs of info.

func desktopLines(d *recipe.Desktop) []string {
	if d == nil {
		return nil
	}
	out := []string{"name " + d.Name, "exec " + d.Exec}
	for _, kv := range [][2]string{{"icon", d.Icon}, {"categories", d.Categories}, {"comment", d.Comment}} {
		if kv[1] != "" {
			out = append(out, kv[0]+" "+kv[1])
		}
	}
	if d.Terminal {
		out = append(out, "terminal")
	}
	return out
}

func configureLines(steps []recipe.ConfigureStep) []string {
	var out []string
	for _, s := range steps {
		l := []string{string(s.Kind)}
		switch s.Kind {
		case recipe.CreateUser:
			l = append(l, s.Name)
			if s.System {
				l = append(l, "system")
			}
			if s.NoLogin {
				l = append(l, "no-login")
			}
		case recipe.CreateDir:
			l = append(l, s.Path)
			if s.Owner != "" {
				l = append(l, "owner "+s.Owner)
			}
		case recipe.Template:
			l = append(l, s.Path)
			for _, v := range s.Vars {
				l = append(l, v.Key+"="+v.Value)
			}
		default:
			l = append(l, s.Cmd)
		}
		out = append(out, strings.Join(l, " "))
	}
	return out
}

func startLine(s *recipe.Start) string {
	switch {
	case s == nil:
		return ""
	case s.Kind == "service":
		return "service " + s.Manager + " " + s.Service
	default:
		return s.Kind + " " + strings.Join(s.Argv, " ")
	}
}

func stopLine(s *recipe.Stop) string {
	if s == nil {
		return ""
	}
	l := s.Kind + " " + s.Name
	if s.Signal != "" {
		l += " " + s.Signal
	}
	return l
}

func removeLines(r *recipe.Remove) []string {
	if r == nil {
		return nil
	}
	var out []string
	if r.StopFirst {
		out = append(out, "stop-first")
	}
	for _, s := range r.Steps {
		l := s.Kind
		if s.Arg != "" {
			l += " " + s.Arg
		}
		if s.Policy != "" && s.Policy != "remove" {
			l += " (" + s.Policy + ")"
		}
		out = append(out, l)
	}
	return out
}

func cleanupLine(c *recipe.Cleanup) string {
	if c == nil {
		return ""
	}
	l := c.What
	if len(c.Keep) > 0 {
		l += " (keep " + strings.Join(c.Keep, ", ") + ")"
	}
	return l
}
