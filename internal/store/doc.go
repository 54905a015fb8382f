// Package store is the installed-package database of recipe: the records
// of what is installed, the writer lock, and the transactions that change
// ROOT atomically through a write-ahead journal.
//
// # Layout
//
// Everything lives under ROOT/var/lib/recipe:
//
//	installed/NAME.rec   one record per installed package
//	journal              the intent of the running or interrupted transaction
//	lock                 flock(2) target; holds the PID of the writer
//
// One file per package (rather than one database file) makes the common
// query, "is X installed" on a warm no-op install, a single small read,
// and makes a transaction rewrite only the records it changes.
//
// # Records
//
// A record file is an envelope line "recipe-db 1 SHA256 LENGTH" followed by
// a body: one JSON line with the package's Meta (name, version, features,
// install reason, install time, recipe sha256, run-time dependency names),
// then one text line per file, "TYPE MODE SIZE SHA256 FLAGS PATH [TARGET]"
// (path relative to ROOT, octal mode, config flag; see filelist.go for why
// not JSON). The length detects truncation, the sha256 of the body detects
// any other damage, the version is checked exactly; a record that fails is
// reported as a *CorruptError naming its host path and is never used.
// Lookup and List parse only the meta line, but checksum the whole body.
//
// # Confinement
//
// Every file access, database and installed files alike, goes through one
// os.Root opened at ROOT: a symlink inside ROOT (var/lib/recipe -> /tmp,
// usr -> /usr) cannot redirect a read or a write outside it. A database
// directory that escapes the root makes Open fail.
//
// # Writers and readers
//
// Writers (Begin, Recover) take an exclusive flock on the lock file and
// write their PID into it. A second writer fails at once with a
// *LockedError naming that PID, or with Options.Wait polls until its
// context is done. The kernel releases a flock when its holder dies, so
// there are no stale locks. Readers never lock: every record is replaced by
// rename(2), so a reader sees the old or the new record, never a torn one.
// Between a commit point and the end of a transaction a reader may see some
// records new and some old; Pending reports that window.
//
// # Transactions
//
// The installer stages regular files under ROOT (Install.Stage) and then
// drives:
//
//	tx, err := db.Begin(ctx, plan) // lock, recover, check, write journal
//	defer tx.Close()               // rolls back unless committed; unlocks
//	err = tx.Prepare(ctx)          // optional: Commit prepares too
//	res, err := tx.Commit(ctx)
//
// The design keeps every visible path unchanged until the commit point, so
// that undo never needs old file contents: nothing was overwritten.
//
//	state      on disk                              recovery
//	---------  -----------------------------------  -----------------------
//	(none)     no journal                           nothing to do
//	begun      journal (sealed intent) written and  roll back: remove the
//	           synced; root untouched               journal
//	preparing  new dirs made; staged files renamed  roll back: move each
//	           to ".recipe-tmp.ID.N" next to their  hidden temp back to its
//	           targets; symlinks made as temps      stage (or delete it),
//	                                                remove new empty dirs
//	commit     syncfs, then "commit" appended to    roll forward
//	           the journal and fsynced
//	finishing  temps renamed over targets; old      roll forward: each step
//	           files deleted (a modified config     checks the disk first
//	           file kept as PATH.recipesave);       (temp still there? file
//	           records written/removed; emptied    still there?), so it can
//	           dirs and stages removed              repeat any number of times
//	end        syncfs; journal removed; dir synced  nothing to do
//
// The journal is written atomically (temp, fsync, rename, fsync dir) and
// sealed like a record; only the exact commit mark after the sealed body
// counts as committed, so a torn append means "not committed". A journal
// that fails its checksum stops every writer with a *CorruptError instead
// of guessing. Recovery runs at Begin and Recover, under the lock; it also
// removes temp files of interrupted record writes. Being idempotent, a
// recovery that is itself killed is just run again.
//
// Durability: instead of an fsync per installed file, one syncfs(2) of
// ROOT's filesystem runs before the commit mark and one before the journal
// is removed. Records written while finishing use temp + rename without
// their own fsync for the same reason; a standalone record write would
// fsync file and directory. Options.NoSync drops all of these: still
// atomic against a killed process, not against power loss; for tests and
// for roots that are discarded on failure.
//
// The guarantee against power loss, precisely: the syncfs before the
// commit mark puts on disk every staged file's data, its hidden temp name
// and the journal, so the mark, once on disk, can only name a transaction
// whose new data is all there; recovery completes it. Without the mark on
// disk, recovery rolls back. A record is written only after the mark, and
// the journal is removed only after the second syncfs has put the records
// and renames on disk: the database never lists a file whose data did not
// reach the disk, and never loses a committed transaction. A caller may
// flush earlier (the installer starts syncfs calls while it extracts); that
// changes when the data reaches the disk, never this order.
//
// A staged file is renamed into place (copied when the stage is on another
// filesystem, as rename cannot cross them). Stage directories belong to the
// transaction from Begin on: a commit removes them, a rollback returns the
// files to them so the same plan can run again.
//
// Begin checks the whole plan and reports every problem at once: invalid
// records, a path claimed by two packages or already owned by a package
// that stays, a path that exists in the root but belongs to no package, a
// type change between file and directory (do it in two transactions), a
// missing or wrong-sized staged file. When an upgrade meets a config file
// the user modified, the user's file stays and the new one is installed as
// PATH.recipenew. Parent directories that no record lists are created with
// mode 0755 and belong to no package. Ownership (uid/gid) is not recorded:
// recipe installs as root.
//
// Options.FailAt names every step ("journal", "mkdir PATH", "stage PATH",
// "sync", "commit", "swap PATH", "delete PATH", "record NAME", "drop NAME",
// "rmdir PATH", "remove-stage DIR", "sync-end", "end"; while rolling back
// "undo-put PATH", "undo-mkdir PATH") and stops there as a crash would; the
// crash tests in this package stop at every one of them and in real killed
// child processes.
//
// # Adopting files in place
//
// Adopt records packages whose files another tool already put in the root
// (rpm during a bootstrap) without moving them. It takes the lock,
// recovers, and refuses, reporting every problem at once, a record that
// names a path another installed or adopted package owns (directories may
// be shared), a path missing from the root, a type that differs from the
// disk, or a regular file whose size does; contents are not re-hashed
// (Verify does that). It then runs the commit half of a transaction with
// the same journal and steps ("journal", "sync", "commit", "record NAME",
// "sync-end", "end"): the syncfs before the commit mark puts the adopted
// files, written by another process without fsync, on disk before any
// record names them, so the database never lists data that is not there.
// Interrupted before the mark, recovery drops the journal and the root is
// as before; after it, recovery writes the remaining records.
//
// # Queries
//
// Get, Lookup, List and Records read records; Owner answers which packages
// own a path from an index built on first use (rebuilt after a commit
// through the same DB, so a long-lived DB misses other processes' commits);
// Dependents finds the
// packages whose recorded dependencies name a package; Verify re-hashes a
// package's files and reports missing, modified, retyped, re-moded or
// re-targeted ones.
package store
