// Package bootstrap installs a new system into a target directory, as
// Arch's pacstrap does: the base recipes, mapped to vendor RPMs by their
// (acquire (rpm ...)) forms, are resolved to an RPM closure over one or
// more repositories, checked completely before the target is touched, and
// installed with the real rpm in one transaction, scriptlets included,
// while the target has /proc, /sys, /dev, /run and /tmp mounted in a
// private mount namespace (internal/chroot). The recipes and the
// configuration are copied into the target and the target's recipe
// database gets one record per recipe listing the files of its RPMs with
// their sha256, so that `recipe verify` and `recipe list --installed`
// work in the installed system.
//
// # Which recipe owns which RPM
//
// A recipe owns the RPMs it names. An RPM pulled in as a dependency
// belongs to the first recipe, in install order, whose own closure (with
// the recipes before it) needs it: glibc goes to base, the kernel's
// dracut to linux. A file that two RPMs of different recipes both ship
// (rpm allows identical shared files) is recorded once, for the first.
//
// # Recording files that rpm installed
//
// The store installs only files it stages itself. Bootstrap therefore
// moves the files rpm wrote (regular files; symlinks are re-made from the
// record) into a stage under TARGET/var/cache/recipe and lets one store
// transaction rename them back: a rename keeps the inode, owner, mode and
// hard links, costs no copy, and leaves the store's journal in charge of
// atomicity. The store runs with NoSync: the target is a system being
// built, thrown away if bootstrap fails; unmounting it syncs.
package bootstrap
