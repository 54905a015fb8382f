package bootstrap

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// copyFiles copies the recipes (the *.recipe files of recipesDir) and the
// configuration file into the target.
func copyFiles(target, recipesDir, config string) error {
	if recipesDir != "" {
		ents, err := os.ReadDir(recipesDir)
		if err != nil {
			return fmt.Errorf("copy recipes: %w", err)
		}
		dst := filepath.Join(target, RecipesDir)
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return fmt.Errorf("copy recipes: %w", err)
		}
		for _, e := range ents {
			if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".recipe") {
				continue
			}
			if err := copyFile(filepath.Join(recipesDir, e.Name()), filepath.Join(dst, e.Name())); err != nil {
				return fmt.Errorf("copy recipes: %w", err)
			}
		}
	}
	if config != "" {
		dst := filepath.Join(target, ConfigFile)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("copy config: %w", err)
		}
		if err := copyFile(config, dst); err != nil {
			return fmt.Errorf("copy config: %w", err)
		}
	}
	return nil
}

// copyFile copies src to dst with mode 0644, replacing dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
