package profile

import (
	"strings"
)

// IdentityFiles returns the files the builder writes after the overlay,
// keyed by their path in the root without the leading slash:
// etc/hostname when a hostname is set, usr/lib/os-release when os-release
// fields are. The caller points etc/os-release at the latter with a
// symlink to OSReleaseLink, as the release packages do.
func (s *Settings) IdentityFiles() map[string][]byte {
	files := map[string][]byte{}
	if s.Hostname != "" {
		files["etc/hostname"] = []byte(s.Hostname + "\n")
	}
	if len(s.OSRelease) > 0 {
		files["usr/lib/os-release"] = s.OSReleaseFile()
	}
	return files
}

// OSReleaseLink is the symlink os-release(5) expects beside
// /usr/lib/os-release: /etc/os-release -> ../usr/lib/os-release.
const OSReleaseLink = "../usr/lib/os-release"

// OSReleaseFile renders the os-release fields as os-release(5) wants
// them: KEY="value", one a line, in profile order.
func (s *Settings) OSReleaseFile() []byte {
	var b strings.Builder
	for _, f := range s.OSRelease {
		b.WriteString(f.Key)
		b.WriteString("=\"")
		b.WriteString(f.Value)
		b.WriteString("\"\n")
	}
	return []byte(b.String())
}
