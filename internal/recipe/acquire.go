package recipe

import (
	"strings"

	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
)

func acquireForms() []string { return []string{"source", "binary", "git", "rpm", "file"} }

// knownArches are the architecture names a (binary ...) method may list.
func knownArches() []string {
	return []string{"x86_64", "aarch64", "i686", "armv7", "riscv64", "ppc64le", "s390x", "loongarch64"}
}

// acquire decodes (acquire METHOD).
func (d *decoder) acquire(s *sexpr.Node) *Acquire {
	args := s.Children[1:]
	if len(args) == 0 {
		d.errorf(s.Pos, "(acquire) needs a method: source, binary, git, rpm or file")
		return nil
	}
	var a *Acquire
	for _, m := range args {
		var got *Acquire
		switch m.Head() {
		case "source":
			got = d.source(m)
		case "binary":
			got = d.binary(m)
		case "git":
			got = d.git(m)
		case "rpm":
			got = &Acquire{Kind: AcquireRPM, Pos: m.Pos}
			for _, n := range d.valueNodes(m, 1) {
				if d.checkName(n.Pos, n.Text, "rpm package name") {
					got.RPMs = append(got.RPMs, n.Text)
				}
			}
		case "file":
			got = d.fileAcquire(m)
		default:
			d.unknown(m, "acquire", acquireForms())
			continue
		}
		if a != nil {
			d.errorf(m.Pos, "(acquire) takes one method; the first is at %s", a.Pos)
			continue
		}
		a = got
	}
	return a
}

// urlAndHash reads (METHOD URL [(sha256 HEX)]) and returns the URL, the
// hash and whether a (sha256 ...) form was present.
func (d *decoder) urlAndHash(m *sexpr.Node, what string) (url, hash string, ok bool) {
	args := m.Children[1:]
	if len(args) == 0 || !args[0].IsValue() {
		d.errorf(m.Pos, "(%s) needs a %s first", m.Head(), what)
		return "", "", false
	}
	url = args[0].Text
	for _, o := range args[1:] {
		if o.Head() != "sha256" {
			if o.IsValue() {
				d.errorf(o.Pos, "(%s) takes one %s; unexpected %s", m.Head(), what, describe(o))
			} else {
				d.unknown(o, m.Head(), []string{"sha256"})
			}
			continue
		}
		if ok {
			d.errorf(o.Pos, "duplicate (sha256 ...)")
			continue
		}
		hash, ok = d.sha256(o), true
	}
	return url, hash, ok
}

// sha256 reads (sha256 HEX), returning the lower-case hash.
func (d *decoder) sha256(o *sexpr.Node) string {
	h, p := d.one(o)
	if h == "" && len(o.Children) != 2 {
		return ""
	}
	if len(h) != 64 || strings.Trim(strings.ToLower(h), "0123456789abcdef") != "" {
		d.errorf(p, "invalid sha256 %q: want 64 hexadecimal digits", h)
		return ""
	}
	return strings.ToLower(h)
}

func (d *decoder) source(m *sexpr.Node) *Acquire {
	url, hash, ok := d.urlAndHash(m, "URL")
	a := &Acquire{Kind: AcquireSource, Pos: m.Pos, URL: url, SHA256: hash}
	if len(m.Children) < 2 || !m.Children[1].IsValue() {
		return a
	}
	d.checkURL(m.Children[1].Pos, url, false)
	if !ok {
		d.warnf(m.Pos, "source %q has no (sha256 ...): the download cannot be verified", url)
	}
	return a
}

func (d *decoder) binary(m *sexpr.Node) *Acquire {
	a := &Acquire{Kind: AcquireBinary, Pos: m.Pos}
	if len(m.Children) == 1 {
		d.errorf(m.Pos, "(binary) needs at least one (ARCH URL) entry")
	}
	for _, e := range m.Children[1:] {
		if e.Kind != sexpr.List || e.Head() == "" {
			d.errorf(e.Pos, "unexpected %s in binary: expected (ARCH URL [(sha256 HEX)])", describe(e))
			continue
		}
		arch := e.Head()
		if !contains(knownArches(), arch) {
			d.errorf(e.Children[0].Pos, "unknown architecture %q%s", arch, suggest.DidYouMean(arch, knownArches()))
			continue
		}
		url, hash, ok := d.urlAndHash(e, "URL")
		if len(e.Children) < 2 || !e.Children[1].IsValue() {
			continue
		}
		d.checkURL(e.Children[1].Pos, url, false)
		if !ok {
			d.warnf(e.Pos, "binary for %s has no (sha256 ...): the download cannot be verified", arch)
		}
		dup := false
		for _, b := range a.Binaries {
			if b.Arch == arch {
				d.errorf(e.Pos, "duplicate architecture %q; the first is at %s", arch, b.Pos)
				dup = true
			}
		}
		if !dup {
			a.Binaries = append(a.Binaries, Binary{Arch: arch, URL: url, SHA256: hash, Pos: e.Pos})
		}
	}
	return a
}

func (d *decoder) git(m *sexpr.Node) *Acquire {
	a := &Acquire{Kind: AcquireGit, Pos: m.Pos}
	args := m.Children[1:]
	if len(args) == 0 || !args[0].IsValue() {
		d.errorf(m.Pos, "(git) needs a repository URL first")
		return a
	}
	a.URL = args[0].Text
	d.checkURL(args[0].Pos, a.URL, true)
	for _, o := range args[1:] {
		switch h := o.Head(); h {
		case "tag", "branch", "commit":
			v, p := d.one(o)
			if a.Ref.Kind != "" {
				d.errorf(o.Pos, "(git) takes one of tag, branch or commit")
				continue
			}
			if h == "commit" && (len(v) < 7 || len(v) > 64 || strings.Trim(v, "0123456789abcdef") != "") {
				d.errorf(p, "invalid commit %q: want 7 to 64 lower-case hexadecimal digits", v)
			}
			a.Ref = GitRef{Kind: h, Name: v}
		default:
			d.unknown(o, "git", []string{"tag", "branch", "commit"})
		}
	}
	if a.Ref.Kind == "" {
		d.warnf(m.Pos, "git source %q has no (tag ...), (branch ...) or (commit ...): the default branch is fetched", a.URL)
	}
	return a
}

func (d *decoder) fileAcquire(m *sexpr.Node) *Acquire {
	path, hash, ok := d.urlAndHash(m, "path")
	a := &Acquire{Kind: AcquireFile, Pos: m.Pos, Path: path, SHA256: hash}
	if len(m.Children) < 2 || !m.Children[1].IsValue() {
		return a
	}
	d.relPath(m.Children[1].Pos, path, "the recipe directory")
	if !ok {
		d.warnf(m.Pos, "file %q has no (sha256 ...): its content cannot be verified", path)
	}
	return a
}

// checkURL accepts http and https URLs, and for git also git://, ssh://
// and file:// ones.
func (d *decoder) checkURL(p Pos, url string, git bool) {
	schemes := []string{"https://", "http://"}
	want := "an http:// or https:// URL"
	if git {
		schemes = append(schemes, "git://", "ssh://", "file://")
		want = "an https://, http://, git://, ssh:// or file:// URL"
	}
	ok := false
	for _, s := range schemes {
		if strings.HasPrefix(url, s) && len(url) > len(s) {
			ok = true
		}
	}
	switch {
	case !ok:
		d.errorf(p, "invalid URL %q: want %s", url, want)
	case strings.ContainsAny(url, " \t\n\"'`\\"):
		d.errorf(p, "invalid URL %q: contains white space or a quote", url)
	}
}

func (d *decoder) patches(s *sexpr.Node) []Patch {
	var out []Patch
	for _, n := range d.valueNodes(s, 1) {
		if d.relPath(n.Pos, n.Text, "the recipe directory") {
			out = append(out, Patch{Path: n.Text, Pos: n.Pos})
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkArchPaths warns about build and install steps that spell out one
// architecture of a multi-architecture (binary ...) method, as in
// (to-bin "rg-x86_64-linux/rg"): on the other architectures the archive
// unpacks under another name and the step fails.
func (d *decoder) checkArchPaths(r *Recipe) {
	a := r.Acquire
	if a == nil || a.Kind != AcquireBinary || len(a.Binaries) < 2 {
		return
	}
	others := func(arch string) string {
		var o []string
		for _, b := range a.Binaries {
			if b.Arch != arch {
				o = append(o, b.Arch)
			}
		}
		return strings.Join(o, ", ")
	}
	check := func(p Pos, text string) {
		for _, b := range a.Binaries {
			if strings.Contains(text, b.Arch) {
				d.warnf(p, "%q names architecture %s, but (binary ...) also offers %s, where this step fails (use $ARCH in commands)",
					text, b.Arch, others(b.Arch))
				return
			}
		}
	}
	for _, s := range r.Build {
		check(s.Pos, s.Arg)
	}
	for _, s := range r.Install {
		check(s.Pos, s.Src)
	}
}
