package build

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// DBPath is where the root's RPM database lives. It is given explicitly
// because Debian's rpm defaults to ~/.rpmdb, which the booted system's
// rpm would not find.
const DBPath = "/var/lib/rpm"

func rootfsStage(o Options) Stage {
	return Stage{
		Name:    StageRootfs,
		Doc:     "rpm --initdb, then one rpm -i transaction of the closure with scriptlets",
		Inputs:  []string{o.path(rpmsDir)},
		Outputs: []string{o.path(rootDir)},
		Tools:   []string{"rpm"},
		run:     (*builder).rootfs,
	}
}

// RPMInitArgv returns the command that creates root's RPM database.
func RPMInitArgv(root string) []string {
	return []string{"rpm", "--root", root, "--dbpath", DBPath, "--initdb"}
}

// RPMImportArgv returns the command that imports a signing key into
// root's database.
func RPMImportArgv(root, key string) []string {
	return []string{"rpm", "--root", root, "--dbpath", DBPath, "--import", key}
}

// RPMInstallArgv returns the one transaction that installs rpms into
// root. With verify, every package must carry a valid signature from an
// imported key; without, signatures are not checked at all (digests
// still are).
func RPMInstallArgv(root string, verify bool, rpms []string) []string {
	argv := []string{"rpm", "--root", root, "--dbpath", DBPath, "-i", "--verbose"}
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
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	if err := b.run(ctx, RPMInitArgv(root)...); err != nil {
		return err
	}
	if verify {
		for _, k := range o.Keys {
			if err := b.run(ctx, RPMImportArgv(root, k)...); err != nil {
				return fmt.Errorf("import key %s: %w", k, err)
			}
		}
	}
	if err := b.run(ctx, RPMInstallArgv(root, verify, b.rpms)...); err != nil {
		return err
	}
	n, err := treeSize(root)
	b.size = n
	return err
}
