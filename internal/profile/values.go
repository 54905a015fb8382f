package profile

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/suggest"
)

func setLabel(s *Settings, v value, d diags) {
	if err := CheckLabel(v.text); err != nil {
		le := err.(*LabelError)
		d.errorf(v.line, v.col+max(le.Col-1, 0), "%s", le.Msg)
		return
	}
	s.Label = v.text
}

// setFileWord sets a value that becomes part of the ISO file name.
func setFileWord(field func(*Settings) *string, key string) setter {
	return func(s *Settings, v value, d diags) {
		for i, c := range v.text {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				d.errorf(v.line, v.col+i, "%s %q has %q; allowed are A-Z a-z 0-9 . _ - (it becomes part of the file name)", key, v.text, string(c))
				return
			}
		}
		*field(s) = v.text
	}
}

// maxID is the length of the ISO 9660 publisher and application fields.
const maxID = 128

// setID sets a free-text ISO 9660 header field.
func setID(field func(*Settings) *string, key string) setter {
	return func(s *Settings, v value, d diags) {
		if len(v.text) > maxID {
			d.errorf(v.line, v.col+maxID, "%s is %d characters; ISO 9660 allows at most %d", key, len(v.text), maxID)
			return
		}
		for i := 0; i < len(v.text); i++ {
			if c := v.text[i]; c < 0x20 || c > 0x7e {
				d.errorf(v.line, v.col+i, "%s has non-ASCII byte %#x; ISO 9660 header fields are ASCII", key, c)
				return
			}
		}
		*field(s) = v.text
	}
}

func setBootModes(s *Settings, v value, d diags) {
	var modes []BootMode
	ok := true
	for _, w := range words(v) {
		m := BootMode(w.text)
		switch {
		case !slices.Contains(bootModeNames(), w.text):
			d.errorf(v.line, w.col, "unknown boot mode %q (allowed: %s)%s", w.text, strings.Join(bootModeNames(), ", "), suggest.DidYouMean(w.text, bootModeNames()))
			ok = false
		case slices.Contains(modes, m):
			d.errorf(v.line, w.col, "boot mode %q listed twice", w.text)
			ok = false
		default:
			modes = append(modes, m)
		}
	}
	if slices.Contains(modes, BIOSGrub) && slices.Contains(modes, Isolinux) {
		d.errorf(v.line, v.col, "boot modes %q and %q both want the BIOS El Torito entry and the MBR; choose one", BIOSGrub, Isolinux)
		ok = false
	}
	if ok {
		s.BootModes = modes
	}
}

func setCompression(s *Settings, v value, d diags) {
	ws := words(v)
	c, err := NewCompression(ws[0].text)
	if err != nil {
		d.errorf(v.line, ws[0].col, "%v", err)
		return
	}
	for _, w := range ws[1:] {
		if err := c.Add(w.text); err != nil {
			d.errorf(v.line, w.col, "%v", err)
			return
		}
	}
	s.Compression = c
}

// builderArgs are kernel arguments the boot menu sets itself.
func builderArgs() []string {
	return []string{"root", "rd.live.image", "rd.live.overlay.overlayfs", "rd.live.ram", "BOOT_IMAGE", "initrd"}
}

func setCmdline(s *Settings, v value, d diags) {
	for _, w := range words(v) {
		name, _, _ := strings.Cut(w.text, "=")
		if slices.Contains(builderArgs(), name) {
			d.errorf(v.line, w.col, "kernel argument %q is set by the boot menu; remove it", w.text)
			continue
		}
		if strings.ContainsAny(w.text, "\"'\\;$") {
			d.errorf(v.line, w.col, "kernel argument %q has a quote, backslash, ';' or '$', which grub.cfg would reinterpret", w.text)
			continue
		}
		s.KernelCmdline = append(s.KernelCmdline, w.text)
	}
}

func setPermission(s *Settings, v value, d diags) {
	ws := words(v)
	if len(ws) != 2 {
		d.errorf(v.line, v.col, "file-permissions wants \"PATH OWNER:GROUP:MODE\", got %q", v.text)
		return
	}
	p, spec := ws[0], ws[1]
	if !strings.HasPrefix(p.text, "/") || path.Clean(p.text) != p.text || p.text == "/" {
		d.errorf(v.line, p.col, "file-permissions path %q must be absolute and clean, like /etc/shadow", p.text)
		return
	}
	parts := strings.Split(spec.text, ":")
	if len(parts) != 3 {
		d.errorf(v.line, spec.col, "file-permissions %q: want OWNER:GROUP:MODE, like 0:0:400", spec.text)
		return
	}
	for i, who := range parts[:2] {
		if !validAccount(who) {
			d.errorf(v.line, spec.col, "file-permissions %q: %s %q is neither a number nor a user name", spec.text, []string{"owner", "group"}[i], who)
			return
		}
	}
	mode, err := strconv.ParseUint(parts[2], 8, 32)
	if err != nil || len(parts[2]) < 3 || len(parts[2]) > 4 || mode > 0o7777 {
		d.errorf(v.line, spec.col+len(parts[0])+len(parts[1])+2, "file-permissions mode %q: want 3 or 4 octal digits, like 644 or 4755", parts[2])
		return
	}
	for _, q := range s.Permissions {
		if q.Path == p.text {
			d.errorf(v.line, p.col, "file-permissions for %s set twice (first on line %d)", p.text, q.Line)
			return
		}
	}
	s.Permissions = append(s.Permissions, Permission{
		Path: p.text, Owner: parts[0], Group: parts[1], Mode: modeBits(uint32(mode)), Line: v.line, Col: p.col,
	})
}

// modeBits converts Unix permission bits to an fs.FileMode.
func modeBits(m uint32) os.FileMode {
	mode := os.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		mode |= os.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= os.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= os.ModeSticky
	}
	return mode
}

func validAccount(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	if _, err := strconv.ParseUint(s, 10, 32); err == nil {
		return true
	}
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

func setVerify(s *Settings, v value, d diags) {
	switch v.text {
	case "yes":
		s.VerifySignatures = true
	case "no":
		s.VerifySignatures = false
		d.warnf(v.line, v.col, "signature checking is off: packages are installed without verifying who built them")
	default:
		d.errorf(v.line, v.col, "verify-signatures %q: allowed: yes, no", v.text)
	}
}

func setRepository(s *Settings, v value, d diags) {
	switch v.text {
	case "yes":
		s.Repository = true
	case "no":
		s.Repository = false
	default:
		d.errorf(v.line, v.col, "package-repository %q: allowed: yes, no", v.text)
	}
}

func setRecipes(dir string, s *Settings, v value, d diags) {
	p := v.text
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		d.errorf(v.line, v.col, "recipes directory %q: %v", v.text, unwrapPath(err))
	case !fi.IsDir():
		d.errorf(v.line, v.col, "recipes %q is not a directory", v.text)
	default:
		s.RecipesDir = p
	}
}

// unwrapPath drops the path that os errors repeat.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// setHostname checks the name against RFC 1123 and systemd's 64-byte
// limit for the static hostname.
func setHostname(s *Settings, v value, d diags) {
	if len(v.text) > 64 {
		d.errorf(v.line, v.col+64, "hostname is %d characters; at most 64", len(v.text))
		return
	}
	col := v.col
	for _, label := range strings.Split(v.text, ".") {
		switch {
		case label == "" || len(label) > 63:
			d.errorf(v.line, col, "hostname %q: each dot-separated part must be 1-63 characters", v.text)
			return
		case label[0] == '-' || label[len(label)-1] == '-':
			d.errorf(v.line, col, "hostname %q: a part may not start or end with '-'", v.text)
			return
		}
		for i, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				d.errorf(v.line, col+i, "hostname %q has %q; allowed are a-z 0-9 - and dots", v.text, string(c))
				return
			}
		}
		col += len(label) + 1
	}
	s.Hostname = v.text
}

func setOSRelease(s *Settings, key string, v value, keyCol int, d diags) {
	for i, c := range key {
		if !(c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			d.errorf(v.line, keyCol+len(osReleasePrefix)+i, "os-release field %q: names are A-Z 0-9 _ and start with a letter", key)
			return
		}
	}
	if v.text == "" {
		d.errorf(v.line, v.col, "empty value for os-release field %s", key)
		return
	}
	if strings.ContainsAny(v.text, "\"\\`$") {
		d.errorf(v.line, v.col, "os-release %s value has a quote, backslash, '`' or '$'; os-release(5) would need escaping", key)
		return
	}
	s.OSRelease = append(s.OSRelease, Field{Key: key, Value: v.text})
}

// word is one space-separated part of a value.
type word struct {
	text string
	col  int
}

func words(v value) []word {
	var out []word
	start := -1
	for i := 0; i <= len(v.text); i++ {
		if i == len(v.text) || v.text[i] == ' ' || v.text[i] == '\t' {
			if start >= 0 {
				out = append(out, word{v.text[start:i], v.col + start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}
