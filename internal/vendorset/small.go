package vendorset

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/levitateos/levitate/internal/rpm"
)

// SmallEpoch is the fixed SOURCE_DATE_EPOCH of the small set.
const SmallEpoch = 1767225600 // 2026-01-01T00:00:00Z

// SmallPackages returns the hand-made packages of the small set: all
// noarch, tiny, and chosen for the edge cases that resolvers and
// installers get wrong:
//
//   - tiny-base: a config file, a file-path provide (/usr/bin/tiny-base)
//     and a virtual provide (tiny-virtual = 2.0); pre and post scriptlets.
//   - tiny-lib: an epoch (2:1.5-3) and a soname-style provide.
//   - tiny-app: versioned requires across the epoch (tiny-lib >= 2:1.0),
//     a rich requirement (tiny-cli or tiny-gui), a file requirement, a
//     Requires(pre), and a %post that writes a marker file.
//   - tiny-cli, tiny-gui: the two sides of the rich requirement.
//   - tiny-clash-a, tiny-clash-b: both own /usr/share/tiny/clash with
//     different contents (a file conflict rpm must refuse).
//   - tiny-old, tiny-new: tiny-new obsoletes, conflicts with and provides
//     tiny-old (< 1.0 and = 1.0-1): the rename pattern.
//   - tiny-tilde (1.0~rc1) and tiny-caret (1.0^git1): pre- and
//     post-release version ordering.
//   - tiny-unsat: requires a name nothing provides.
func SmallPackages() []*rpm.Package {
	bt := time.Unix(SmallEpoch, 0)
	mt := uint32(SmallEpoch)
	pkg := func(name, ver, rel string, epoch uint32) *rpm.Package {
		return &rpm.Package{
			NEVRA:       rpm.NEVRA{Name: name, EVR: rpm.EVR{Epoch: epoch, Version: ver, Release: rel}, Arch: "noarch"},
			Summary:     name + " (small test set)",
			Description: "A tiny hand-made package of the LevitateOS small test set.",
			License:     "MIT",
			URL:         "https://levitateos.invalid/" + name,
			Vendor:      vendorTag,
			BuildTime:   bt,
			// gzip: zstd's encoder setup dominates for tiny packages.
			Compressor: "gzip",
		}
	}
	file := func(p, body string, mode uint32) rpm.File {
		return rpm.File{Path: p, Mode: rpm.ModeRegular | mode, Body: []byte(body), MTime: mt}
	}
	dir := func(p string) rpm.File { return rpm.File{Path: p, Mode: rpm.ModeDir | 0o755, MTime: mt} }
	ge := rpm.FlagGreater | rpm.FlagEqual

	base := pkg("tiny-base", "1.0", "1", 0)
	base.Provides = []rpm.Dep{{Name: "tiny-virtual", Flags: rpm.FlagEqual, EVR: rpm.EVR{Version: "2.0"}}}
	base.Files = []rpm.File{
		file("/usr/bin/tiny-base", "#!/bin/sh\necho tiny-base\n", 0o755),
		{Path: "/etc/tiny.conf", Mode: rpm.ModeRegular | 0o644, Body: []byte("greeting=hello\n"), MTime: mt, Config: true},
		dir("/usr/share/tiny"),
	}
	base.Scripts = rpm.Scripts{Pre: "exit 0\n", Post: "exit 0\n"}

	lib := pkg("tiny-lib", "1.5", "3", 2)
	lib.Provides = []rpm.Dep{{Name: "libtiny.so.1()(64bit)"}}
	lib.Files = []rpm.File{file("/usr/lib64/libtiny.so.1", "not really a library\n", 0o755)}

	app := pkg("tiny-app", "1.0", "1", 0)
	app.Requires = []rpm.Dep{
		{Name: "tiny-lib", Flags: ge, EVR: rpm.EVR{Epoch: 2, Version: "1.0"}},
		{Name: "libtiny.so.1()(64bit)"},
		{Name: "(tiny-cli or tiny-gui)"},
		{Name: "/usr/bin/tiny-base"},
		{Name: "tiny-virtual", Flags: ge, EVR: rpm.EVR{Version: "2.0"}},
		{Name: "tiny-base", Flags: rpm.FlagScriptPre},
	}
	app.Files = []rpm.File{file("/usr/bin/tiny-app", "#!/bin/sh\necho tiny-app\n", 0o755)}
	app.Scripts = rpm.Scripts{Post: "mkdir -p /var/lib/tiny && echo installed > /var/lib/tiny/app-post\n"}

	cli := pkg("tiny-cli", "1.0", "1", 0)
	cli.Files = []rpm.File{file("/usr/bin/tiny-cli", "#!/bin/sh\n", 0o755)}
	gui := pkg("tiny-gui", "1.0", "1", 0)
	gui.Files = []rpm.File{file("/usr/bin/tiny-gui", "#!/bin/sh\n", 0o755)}

	clashA := pkg("tiny-clash-a", "1.0", "1", 0)
	clashA.Files = []rpm.File{file("/usr/share/tiny/clash", "from a\n", 0o644)}
	clashB := pkg("tiny-clash-b", "1.0", "1", 0)
	clashB.Files = []rpm.File{file("/usr/share/tiny/clash", "from b\n", 0o644)}

	old := pkg("tiny-old", "0.9", "1", 0)
	old.Files = []rpm.File{file("/usr/share/tiny/old", "old\n", 0o644)}
	nw := pkg("tiny-new", "1.0", "1", 0)
	nw.Obsoletes = []rpm.Dep{{Name: "tiny-old", Flags: rpm.FlagLess, EVR: rpm.EVR{Version: "1.0"}}}
	nw.Conflicts = []rpm.Dep{{Name: "tiny-old", Flags: rpm.FlagLess, EVR: rpm.EVR{Version: "1.0"}}}
	nw.Provides = []rpm.Dep{{Name: "tiny-old", Flags: rpm.FlagEqual, EVR: rpm.EVR{Version: "1.0", Release: "1"}}}
	nw.Files = []rpm.File{file("/usr/share/tiny/new", "new\n", 0o644)}

	tilde := pkg("tiny-tilde", "1.0~rc1", "1", 0)
	caret := pkg("tiny-caret", "1.0^git1", "1", 0)

	unsat := pkg("tiny-unsat", "1.0", "1", 0)
	unsat.Requires = []rpm.Dep{{Name: "tiny-does-not-exist", Flags: ge, EVR: rpm.EVR{Version: "1"}}}

	return []*rpm.Package{base, lib, app, cli, gui, clashA, clashB, old, nw, tilde, caret, unsat}
}

// WriteSmallTree writes the small set as a medium tree at dir:
// Minimal/Packages/t/*.rpm, Minimal/repodata/, .treeinfo, .discinfo and
// media.repo. It returns the repodata entries.
func WriteSmallTree(ctx context.Context, dir string) ([]rpm.RepoPackage, error) {
	repo := filepath.Join(dir, RepoDir)
	entries, err := writePackages(ctx, repo, SmallPackages(), 1, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("small set: %w", err)
	}
	if err := rpm.WriteRepodata(repo, entries, rpm.RepoOptions{Revision: SmallEpoch}); err != nil {
		return nil, fmt.Errorf("small set: %w", err)
	}
	if err := writeMediumFiles(dir, SmallEpoch); err != nil {
		return nil, fmt.Errorf("small set: %w", err)
	}
	return entries, nil
}

// BuildSmallISO writes the small set as an ISO at out (built in a
// temporary directory next to it). xorriso's messages go to log.
func BuildSmallISO(ctx context.Context, out string, log io.Writer) error {
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".small-")
	if err != nil {
		return fmt.Errorf("small iso: %w", err)
	}
	defer os.RemoveAll(tmp)
	tree := filepath.Join(tmp, "tree")
	if err := os.Mkdir(tree, 0o755); err != nil {
		return fmt.Errorf("small iso: %w", err)
	}
	if _, err := WriteSmallTree(ctx, tree); err != nil {
		return err
	}
	part := filepath.Join(tmp, "small.iso")
	if err := makeISO(ctx, tree, part, SmallEpoch, log); err != nil {
		return fmt.Errorf("small iso: %w", err)
	}
	if err := os.Rename(part, out); err != nil {
		return fmt.Errorf("small iso: %w", err)
	}
	return nil
}
