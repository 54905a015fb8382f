// Package install is the transactional engine of the recipe package
// manager: it turns a resolved plan of recipes into installed packages under
// a root, removes them again, and upgrades them, all through one store
// transaction at a time. It has no command line of its own.
//
// # Install
//
// Install takes packages in install order (as resolve.Plan lists them) and:
//
//  1. fetches every source first, in parallel, verified by sha256 while
//     streaming (internal/fetch). A source without a hash is refused unless
//     Options.InsecureSkipHash is set. A source already in the cache is
//     not hashed up front (fetch.Options.DeferCacheCheck): the extraction
//     hashes the very bytes it reads and compares at the end, one pass over
//     the file instead of two. A cached file that no longer matches fails
//     the build, which is thrown away; the source is downloaded again and
//     the package built again. Nothing of a mismatching file gets further
//     than the private build directory;
//  2. builds each package (in parallel, Options.Jobs at a time: nothing of
//     the transaction is in the root before the commit, so no build can use
//     another's output) in a private directory under
//     ROOT/var/cache/recipe/build: (extract FMT) unpacks the source through
//     internal/archive, the later steps run on the result; every other step
//     runs as `sh -c SCRIPT`, SCRIPT being the recipe's own text verbatim,
//     with PREFIX (/usr), DESTDIR (the package's stage), NPROC, ARCH,
//     BUILD_DIR and SOURCE_DIR in the environment, never pasted into the
//     text. Every step runs in BUILD_DIR, as makepkg's build() runs in
//     $srcdir and as the original recipes expect (`cd foo-1.0 && ...`);
//     SOURCE_DIR is the unpacked tree's single top-level directory (the
//     usual foo-1.0/ of a source tarball), or BUILD_DIR when there is none,
//     and the structured steps (configure, compile, ...) and patches run
//     there (see recipe.BuildStep.Script);
//  3. copies the install forms from BUILD_DIR into the stage below the prefix
//     /usr (to-config: the absolute path given), every write through an
//     os.Root on the stage and every read through one on BUILD_DIR (a file
//     with no other name is hard-linked rather than copied);
//  4. records every staged file, directory and symlink (type, mode, size,
//     sha256; files under etc/ and to-config targets are config files),
//     taking each regular file's sha256 from where its bytes went by: the
//     extraction (archive.Options.Sums) for a file hard-linked from
//     BUILD_DIR while no patch or build command has run, the copy for a
//     copied file; only the rest (files a build command wrote, templates)
//     is read back. Then it hands all packages to one store transaction:
//     store.Begin checks file conflicts against the database and between
//     the packages, and Commit applies everything or nothing. A failed fetch, a failed build or a
//     conflict leaves the root as it was (build and stage directories
//     under var/cache/recipe aside, which are removed);
//  5. runs the configure forms of the committed packages: create-user edits
//     ROOT/etc/passwd, group and shadow directly under lckpwdf's fcntl lock
//     on ROOT/etc/.pwd.lock, create-dir and template write through an os.Root
//     on ROOT, run uses chroot(8) when the root is not "/". Nothing touches
//     the host's /etc when a root is given. A template whose file is staged
//     by the package is applied in the stage, so the recorded hash is that of
//     the filled-in file.
//
// A package already installed with the same version and features is skipped
// (the warm no-op path: one record read). A package whose name is installed
// in another version or with other features replaces it in the same
// transaction: that is an upgrade, and Upgrade is Install under another name.
//
// # Remove
//
// Remove refuses to remove a package that a remaining installed package
// depends on and names them; RemoveOptions.Cascade takes the dependents
// along, RemoveOptions.Orphans also the dependency packages nothing needs any
// more. The store deletes exactly the recorded files and keeps a modified
// config file as PATH.recipesave (reported in the Summary); then the recipes'
// remove forms run.
//
// # Durability
//
// The store makes a transaction durable (see the store package): its
// syncfs(2) before the commit mark puts every staged byte on disk before
// the database can name it, so a power loss never leaves a record listing
// a file whose data never reached the disk. Unless Options.NoSync, a build
// also starts syncfs calls of its own on a background goroutine, every
// 8 MiB of compressed input and once after a large extraction, so that the
// disk writes while the CPU decompresses and the store's sync finds little
// left to do. Those early flushes guarantee nothing and report nothing;
// they only move the cost.
//
// Options.FailAt is passed to the store: tests stop a transaction at every
// one of its steps and check that the next run completes it.
package install
