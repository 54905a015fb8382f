package build

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/source"
)

// DBPath is where the root's RPM database lives unless the root's own
// rpm keeps it in SysimageDBPath (see RPMDBPath). It is always given
// explicitly because Debian's rpm defaults to ~/.rpmdb, which the booted
// system's rpm would not find.
const DBPath = "/var/lib/rpm"

func rootfsStage(o Options) Stage {
	return Stage{
		Name:    StageRootfs,
		Doc:     "rpm --initdb, then one rpm -i transaction of the closure with scriptlets; reused from the cache when the packages are unchanged",
		Inputs:  []string{o.path(rpmsDir)},
		Outputs: []string{o.path(rootDir)},
		Tools:   []string{"rpm"},
		run:     (*builder).rootfs,
	}
}

// RPMInitArgv returns the command that creates root's RPM database.
func RPMInitArgv(root, dbpath string) []string {
	return []string{"rpm", "--root", root, "--dbpath", dbpath, "--initdb"}
}

// RPMImportArgv returns the command that imports a signing key into
// root's database.
func RPMImportArgv(root, dbpath, key string) []string {
	return []string{"rpm", "--root", root, "--dbpath", dbpath, "--import", key}
}

// RPMInstallArgv returns the one transaction that installs rpms into
// root. With verify, every package must carry a valid signature from an
// imported key; without, signatures are not checked at all (digests
// still are).
func RPMInstallArgv(root, dbpath string, verify bool, rpms []string) []string {
	argv := []string{"rpm", "--root", root, "--dbpath", dbpath, "-i", "--verbose"}
	if verify {
		argv = append(argv, "--define", "_pkgverify_level all")
	} else {
		argv = append(argv, "--nosignature")
	}
	return append(argv, rpms...)
}

func (b *builder) rootfs(ctx context.Context) error {
	o := b.opts
	root := o.path(rootDir)
	verify := o.Settings.VerifySignatures
	if verify && len(o.Keys) == 0 {
		return errors.New("verify-signatures = yes needs the vendor's signing key (--key RPM-GPG-KEY-...); for the unsigned test set use --no-verify-signatures")
	}
	set, _ := b.src.(*source.Set)
	if set == nil {
		return errors.New("no opened sources (the resolve stage did not run)")
	}
	dbpath, err := RPMDBPath(Inputs(set), b.closure)
	if err != nil {
		return err
	}
	b.dbPath = dbpath
	key, err := b.rootKey(o.Keys)
	if err != nil {
		return err
	}
	b.rootCacheKey = key
	if data, ok := b.roots.entry(key); ok {
		fmt.Fprintf(b.log, "root %s from the cache: %s\n", key, data)
		b.cached = true
		if err := linkTree(root, data); err != nil {
			return fmt.Errorf("root from the cache: %w", err)
		}
		b.size, err = b.roots.size(key)
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	if err := b.run(ctx, RPMInitArgv(root, dbpath)...); err != nil {
		return err
	}
	if verify {
		for _, k := range o.Keys {
			if err := b.run(ctx, RPMImportArgv(root, dbpath, k)...); err != nil {
				return fmt.Errorf("import key %s: %w", k, err)
			}
		}
	}
	install := b.cmd(RPMInstallArgv(root, dbpath, verify, b.rpms)...)
	if o.Epoch >= 0 {
		// rpm records SOURCE_DATE_EPOCH as the install time.
		install.Env = []string{fmt.Sprintf("SOURCE_DATE_EPOCH=%d", o.Epoch)}
	}
	if err := run.Run(ctx, install); err != nil {
		return err
	}
	if b.size, err = treeSize(root); err != nil {
		return err
	}
	return b.roots.store(key, root)
}
