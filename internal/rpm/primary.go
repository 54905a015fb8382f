package rpm

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// inPrimary reports whether primary.xml lists a file (the rest are only in
// filelists.xml); it is createrepo_c's rule `^(.*bin/.*|/etc/.*|
// /usr/lib/sendmail)$`, so that dnf resolves file requirements such as
// /usr/bin/sh without loading filelists.
func inPrimary(p string) bool {
	return strings.Contains(p, "bin/") || strings.HasPrefix(p, "/etc/") || p == "/usr/lib/sendmail"
}

// xmlWriter writes escaped XML and keeps the first error.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlWriter) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

// attr writes ` name="value"`.
func (x *xmlWriter) attr(name, value string) {
	x.raw(" " + name + `="`)
	x.text(value)
	x.raw(`"`)
}

// elem writes <name>text</name> on its own indented line.
func (x *xmlWriter) elem(indent, name, text string) {
	x.raw(indent + "<" + name + ">")
	x.text(text)
	x.raw("</" + name + ">\n")
}

func (x *xmlWriter) flush() error {
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

func (x *xmlWriter) version(e EVR) {
	x.raw("<version")
	x.attr("epoch", strconv.FormatUint(uint64(e.Epoch), 10))
	x.attr("ver", e.Version)
	x.attr("rel", e.Release)
	x.raw("/>")
}

func writePrimary(w io.Writer, pkgs []RepoPackage) error {
	x := &xmlWriter{w: bufio.NewWriter(w)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="` + strconv.Itoa(len(pkgs)) + `">` + "\n")
	for _, p := range pkgs {
		h := p.Header
		x.raw(`<package type="rpm">` + "\n")
		x.elem("  ", "name", h.Name)
		x.elem("  ", "arch", h.Arch)
		x.raw("  ")
		x.version(h.EVR)
		x.raw("\n")
		x.raw(`  <checksum type="sha256" pkgid="YES">` + p.Checksum + "</checksum>\n")
		x.elem("  ", "summary", h.Summary)
		x.elem("  ", "description", h.Description)
		x.elem("  ", "packager", h.Packager)
		x.elem("  ", "url", h.URL)
		x.raw(fmt.Sprintf("  <time file=\"%d\" build=\"%d\"/>\n", p.Time, h.BuildTime))
		x.raw(fmt.Sprintf("  <size package=\"%d\" installed=\"%d\" archive=\"%d\"/>\n", p.Size, h.InstalledSize, h.ArchiveSize))
		x.raw("  <location")
		x.attr("href", p.Href)
		x.raw("/>\n  <format>\n")
		x.elem("    ", "rpm:license", h.License)
		x.elem("    ", "rpm:vendor", h.Vendor)
		x.elem("    ", "rpm:group", h.Group)
		x.elem("    ", "rpm:buildhost", h.BuildHost)
		x.elem("    ", "rpm:sourcerpm", h.SourceRPM)
		x.raw(fmt.Sprintf("    <rpm:header-range start=\"%d\" end=\"%d\"/>\n", h.HeaderStart, h.HeaderEnd))
		writeDeps(x, "rpm:provides", h.Provides)
		writeDeps(x, "rpm:requires", repoRequires(h))
		writeDeps(x, "rpm:conflicts", h.Conflicts)
		writeDeps(x, "rpm:obsoletes", h.Obsoletes)
		writeDeps(x, "rpm:recommends", h.Recommends)
		for _, f := range h.Files {
			if inPrimary(f.Path) {
				writeFileElem(x, "    ", f)
			}
		}
		x.raw("  </format>\n</package>\n")
	}
	x.raw("</metadata>\n")
	return x.flush()
}

// repoRequires drops what createrepo_c drops: rpmlib() features and
// duplicates.
func repoRequires(h *Header) []Dep {
	var out []Dep
	seen := map[Dep]bool{}
	for _, d := range h.Requires {
		if d.IsRPMLib() || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

func writeDeps(x *xmlWriter, elem string, deps []Dep) {
	if len(deps) == 0 {
		return
	}
	x.raw("    <" + elem + ">\n")
	for _, d := range deps {
		x.raw("      <rpm:entry")
		x.attr("name", d.Name)
		if op := d.Flags.XMLOp(); op != "" {
			x.attr("flags", op)
			x.attr("epoch", strconv.FormatUint(uint64(d.EVR.Epoch), 10))
			x.attr("ver", d.EVR.Version)
			if d.EVR.Release != "" {
				x.attr("rel", d.EVR.Release)
			}
		}
		if d.Flags&(FlagPrereq|FlagScriptPre|FlagScriptPost) != 0 {
			x.attr("pre", "1")
		}
		x.raw("/>\n")
	}
	x.raw("    </" + elem + ">\n")
}

func writeFileElem(x *xmlWriter, indent string, f FileEntry) {
	x.raw(indent + "<file")
	switch {
	case f.IsDir():
		x.attr("type", "dir")
	case f.IsGhost():
		x.attr("type", "ghost")
	}
	x.raw(">")
	x.text(f.Path)
	x.raw("</file>\n")
}

func writeFilelists(w io.Writer, pkgs []RepoPackage) error {
	x := &xmlWriter{w: bufio.NewWriter(w)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="` + strconv.Itoa(len(pkgs)) + `">` + "\n")
	for _, p := range pkgs {
		h := p.Header
		x.raw("<package")
		x.attr("pkgid", p.Checksum)
		x.attr("name", h.Name)
		x.attr("arch", h.Arch)
		x.raw(">\n  ")
		x.version(h.EVR)
		x.raw("\n")
		for _, f := range h.Files {
			writeFileElem(x, "  ", f)
		}
		x.raw("</package>\n")
	}
	x.raw("</filelists>\n")
	return x.flush()
}

// hrefOK reports whether a location href is relative and clean.
func hrefOK(h string) bool {
	return h != "" && !strings.HasPrefix(h, "/") && !strings.Contains(h, "..")
}
