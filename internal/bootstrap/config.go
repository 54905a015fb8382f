package bootstrap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// DefaultConfig is the configuration file of recipe on a system.
const DefaultConfig = "/etc/recipe/recipe.conf"

// Config is what recipe.conf says.
//
//	# comment
//	repo = /run/initramfs/live/repo
//	repo = https://example.org/levitate/10/x86_64/os
//
// Each repo line adds a package repository: an rpm-md repository
// directory or URL, a directory of RPM files, a medium tree or an ISO
// image (internal/source). The first one listed wins when several offer
// the same package version.
type Config struct {
	Repos []string
}

// ParseConfig reads a recipe.conf. Every problem is reported, each as
// file:line:col: message, sorted.
func ParseConfig(r io.Reader, name string) (Config, error) {
	var c Config
	var errs []error
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		col := strings.Index(line, trimmed) + 1
		key, value, ok := strings.Cut(trimmed, "=")
		if !ok {
			errs = append(errs, fmt.Errorf("%s:%d:%d: want KEY = VALUE, got %q", name, n, col, trimmed))
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch key {
		case "repo":
			if value == "" {
				errs = append(errs, fmt.Errorf("%s:%d:%d: repo needs a path or URL", name, n, col))
				continue
			}
			c.Repos = append(c.Repos, value)
		default:
			errs = append(errs, fmt.Errorf("%s:%d:%d: unknown key %q (known: repo)", name, n, col, key))
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return c, errors.Join(errs...)
}

// LoadConfig reads the configuration file at path. A missing file is an
// empty configuration when missingOK is set (the default file), an error
// otherwise (a file the user named).
func LoadConfig(path string, missingOK bool) (Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && missingOK {
		return Config{}, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	return ParseConfig(f, path)
}
