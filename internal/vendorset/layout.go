package vendorset

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/run"
)

// Layout of the medium, as on Rocky's minimal ISO.
const (
	// RepoDir is the repository directory at the root of the medium.
	RepoDir = "Minimal"
	// VolumeLabel is the ISO volume id. It follows Rocky's
	// "Rocky-MAJOR-MINOR-ARCH-dvd" pattern but does not claim to be Rocky,
	// so nothing can mistake the unsigned test set for the real one.
	VolumeLabel = "LVTEST-10-0-x86_64-dvd"
)

// PackageHref is where a package file lives inside the repository:
// "Packages/b/bash-5.2.15-2.x86_64.rpm", by the lower-cased first letter
// of the file name.
func PackageHref(fileName string) string {
	return "Packages/" + strings.ToLower(fileName[:1]) + "/" + fileName
}

// writePackages writes every package into repo/Packages/ with workers in
// parallel. prepare (optional) loads a package's file contents just
// before it is written and release drops them after, so memory holds only
// the packages being written.
func writePackages(ctx context.Context, repo string, pkgs []*rpm.Package, workers int,
	prepare func(*rpm.Package) error, release func(*rpm.Package)) ([]rpm.RepoPackage, error) {
	if workers < 1 {
		workers = 1
	}
	out := make([]rpm.RepoPackage, len(pkgs))
	errs := make([]error, len(pkgs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i], errs[i] = writeOne(repo, pkgs[i], prepare, release)
			}
		}()
	}
	for i := range pkgs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var msgs []string
	for _, e := range errs {
		if e != nil {
			msgs = append(msgs, e.Error())
		}
	}
	if len(msgs) > 0 {
		sort.Strings(msgs)
		return nil, fmt.Errorf("write packages:\n%s", strings.Join(msgs, "\n"))
	}
	return out, nil
}

func writeOne(repo string, p *rpm.Package, prepare func(*rpm.Package) error, release func(*rpm.Package)) (rpm.RepoPackage, error) {
	if prepare != nil {
		if err := prepare(p); err != nil {
			return rpm.RepoPackage{}, err
		}
	}
	if release != nil {
		defer release(p)
	}
	href := PackageHref(p.FileName())
	file := filepath.Join(repo, filepath.FromSlash(href))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return rpm.RepoPackage{}, err
	}
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		return rpm.RepoPackage{}, err
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return rpm.RepoPackage{}, err
	}
	return rpm.ScanPackage(file, href, p.BuildTime.Unix())
}

// treeinfo is the productmd .treeinfo that installers and our source
// reader look for at the root of the medium.
func treeinfo(epoch int64) string {
	return fmt.Sprintf(`[general]
arch = x86_64
family = LevitateOS test set
name = LevitateOS test set 10.0
packagedir = %[1]s/Packages
platforms = x86_64
repository = %[1]s
timestamp = %[2]d
variant = %[1]s
variants = %[1]s
version = 10.0

[header]
type = productmd.treeinfo
version = 1.2

[release]
name = LevitateOS test set
short = LVTEST
version = 10.0

[tree]
arch = x86_64
build_timestamp = %[2]d
platforms = x86_64
variants = %[1]s

[variant-%[1]s]
id = %[1]s
name = %[1]s
packages = %[1]s/Packages
repository = %[1]s
type = variant
uid = %[1]s
`, RepoDir, epoch)
}

func mediaRepo(epoch int64) string {
	return fmt.Sprintf("[InstallMedia]\nname=LevitateOS test set 10.0\nmediaid=%d.000000\nmetadata_expire=-1\ngpgcheck=0\ncost=500\n", epoch)
}

// writeMediumFiles writes .treeinfo, .discinfo and media.repo at the root
// of the medium, as Rocky's ISO has them.
func writeMediumFiles(dir string, epoch int64) error {
	files := map[string]string{
		".treeinfo":  treeinfo(epoch),
		".discinfo":  fmt.Sprintf("%d.000000\nLevitateOS test set 10.0\nx86_64\n", epoch),
		"media.repo": mediaRepo(epoch),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// clampTimes sets every mtime under dir to epoch, so the ISO does not
// depend on when the files were written.
func clampTimes(dir string, epoch int64) error {
	t := time.Unix(epoch, 0)
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		return os.Chtimes(p, t, t)
	})
	if err != nil {
		return fmt.Errorf("clamp times: %w", err)
	}
	// Directories last, deepest first: touching a child changes nothing in
	// its parent's mtime, but writing files above did.
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chtimes(dirs[i], t, t); err != nil {
			return fmt.Errorf("clamp times: %w", err)
		}
	}
	return nil
}

// makeISO writes the medium at dir to out with xorriso. SOURCE_DATE_EPOCH
// makes xorriso use fixed volume dates and a fixed volume uuid; -r gives
// every file owner root and normalised modes.
func makeISO(ctx context.Context, dir, out string, epoch int64, log io.Writer) error {
	if err := clampTimes(dir, epoch); err != nil {
		return err
	}
	argv := []string{
		"xorriso", "-as", "mkisofs",
		"-o", out,
		"-V", VolumeLabel,
		"-iso-level", "3", "-full-iso9660-filenames",
		"-r", "-J", "-joliet-long",
		dir,
	}
	err := run.Run(ctx, run.Cmd{
		Argv:   argv,
		Env:    []string{fmt.Sprintf("SOURCE_DATE_EPOCH=%d", epoch)},
		Stdout: log, Stderr: log,
	})
	if err != nil {
		return fmt.Errorf("make iso: %w", err)
	}
	return nil
}
