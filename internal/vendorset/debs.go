package vendorset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// debFile is one .deb the installed tree came from.
type debFile struct {
	Name   string // file name in the .deb cache
	SHA256 string
	// MTime is the ar member time of debian-binary: when the .deb was
	// built, a property of the file, not of the download.
	MTime int64
}

// debFileName is apt's cache name of a package: epoch colons are escaped.
func debFileName(name, version, arch string) string {
	return name + "_" + strings.ReplaceAll(version, ":", "%3a") + "_" + arch + ".deb"
}

// usedDebs finds, hashes and dates the .deb of every package installed in
// root.
func usedDebs(root, debs string) ([]debFile, error) {
	status := filepath.Join(root, "var/lib/dpkg/status")
	f, err := os.Open(status)
	if err != nil {
		return nil, fmt.Errorf("used debs: %w", err)
	}
	st, err := parseControl(f, status)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("used debs: %w", err)
	}
	var out []debFile
	var missing []string
	for _, p := range installedPackages(st) {
		name := debFileName(p.Name, p.Version, p.Arch)
		d, err := hashDeb(filepath.Join(debs, name))
		if err != nil {
			missing = append(missing, err.Error())
			continue
		}
		out = append(out, d)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("used debs:\n%s", strings.Join(missing, "\n"))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func hashDeb(path string) (debFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return debFile{}, err
	}
	defer f.Close()
	head := make([]byte, 8+60)
	if _, err := io.ReadFull(f, head); err != nil {
		return debFile{}, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.HasPrefix(head, []byte("!<arch>\n")) {
		return debFile{}, fmt.Errorf("%s: not an ar archive", path)
	}
	// ar member header: name[16] mtime[12] ...
	mtime, err := strconv.ParseInt(strings.TrimSpace(string(head[8+16:8+28])), 10, 64)
	if err != nil {
		return debFile{}, fmt.Errorf("%s: bad ar member time: %w", path, err)
	}
	h := sha256.New()
	h.Write(head)
	if _, err := io.Copy(h, f); err != nil {
		return debFile{}, fmt.Errorf("%s: %w", path, err)
	}
	return debFile{Name: filepath.Base(path), SHA256: hex.EncodeToString(h.Sum(nil)), MTime: mtime}, nil
}

// finalKey is the cache key: the inputs and the exact .deb files used.
func finalKey(inputs string, debs []debFile) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", inputs)
	for _, d := range debs {
		fmt.Fprintf(h, "%s %s\n", d.SHA256, d.Name)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// debsEpoch is the default SOURCE_DATE_EPOCH: the build time of the newest
// .deb, so the same .deb files give the same dates.
func debsEpoch(debs []debFile) int64 {
	var newest int64
	for _, d := range debs {
		newest = max(newest, d.MTime)
	}
	return newest
}

// normalizer rewrites generated files whose content depends on the day
// they were made: the password-change day in /etc/shadow becomes the day
// of epoch.
func normalizer(epoch int64) func(string, []byte) []byte {
	day := strconv.FormatInt(epoch/86400, 10)
	return func(p string, b []byte) []byte {
		if p != "/etc/shadow" {
			return b
		}
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Split(l, ":")
			if len(f) >= 3 && f[2] != "" {
				f[2] = day
			}
			out = append(out, strings.Join(f, ":"))
		}
		return []byte(strings.Join(out, "\n"))
	}
}
