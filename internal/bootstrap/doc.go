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
// What each package owns is read from the package files' headers, the
// headers rpm copies into its database, while rpm runs. The files stay
// where rpm wrote them: store.DB.Adopt checks that each recorded path is
// there with the recorded type (and size, for a regular file) and that no
// other package owns it, then writes the records through the store's
// journal. The sha256 of a file is taken from the RPM header, which rpm
// checked while writing it, unless a scriptlet changed its size; then it
// is hashed from the disk. The store runs with NoSync: the target is a
// system being built, thrown away if bootstrap fails; unmounting it
// syncs. The last progress line gives the time of each step.
package bootstrap
