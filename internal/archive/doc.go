// Package archive extracts tar, zip and single compressed files into a
// destination directory without letting any entry write outside of it.
//
// Every write goes through an [os.Root] opened on the destination. Regular
// files are the one refinement: their directory is opened through the root
// and the file is created relative to it with openat(2) and
// O_CREAT|O_EXCL|O_NOFOLLOW on a single name component, which is the call
// os.Root makes itself, minus the os.File set-up that made many small files
// slower to extract than GNU tar does. On top of that the extractor enforces
// a policy:
//
//   - The destination must not exist or be an empty directory. Extraction
//     writes straight into it, and on any error everything written so far is
//     removed again (the directory itself too when Extract created it), so the
//     caller never sees a half-written tree or file. Callers that install
//     into a live root extract into a fresh staging directory first.
//   - Names must be valid UTF-8, non-empty, relative, free of NUL bytes,
//     backslashes and ".." components. "." components and a leading "./" are
//     dropped, so "./usr/bin/x" and "usr/bin/x" name the same entry.
//   - Regular files, directories, symbolic links and hard links are the only
//     entry types. Device nodes, fifos and sockets are refused with an error
//     naming the entry.
//   - A symbolic link must be relative and must resolve, from where it sits and
//     following the archive's other links, to a place inside the destination.
//     The check runs when the link is created and again over all links when
//     the archive ends, because a later entry can change how a chain resolves.
//     No entry is ever written through a symbolic link: an entry whose parent
//     path crosses a link extracted earlier is refused.
//   - A hard link must name a regular file extracted earlier from the same
//     archive.
//   - An entry may appear only once. A directory implied by a deeper entry may
//     still be listed explicitly later.
//   - Setuid and setgid bits are refused unless [Options.AllowSetuid] lists
//     the entry: an installer declares such files in its recipe.
//   - Sizes are bounded: [Options.MaxFileSize] per file, [Options.MaxTotal]
//     for all files, [Options.MaxEntries] entries, and for zip the ratio of
//     declared to compressed size [Options.MaxRatio] and no overlapping
//     entries.
//   - Permission bits, the sticky bit and modification times are applied
//     (directories last, deepest first, so read-only directories work).
//     Ownership is not applied: the installer runs as root into a staging
//     directory and decides ownership itself. Symbolic link times are not set.
//   - A compressed stream is read to its end after the tar trailer, so a
//     checksum error anywhere in the stream fails the extraction.
//
// Errors are *Error values naming the archive, the entry and the reason, for
// example:
//
//	foo.tar.gz: entry "../../etc/passwd": path escapes the destination
package archive
