// Package fetch downloads sources into a cache directory and verifies their
// sha256 while the bytes stream in.
//
// A download lands in NAME.part next to its final place and is renamed to
// NAME only after its hash matched (temporary file, fsync, rename, fsync of
// the directory), so a file under its final name is always complete and
// verified. A file already cached with the expected hash is used without
// touching the network. It is hashed again before it is returned, unless
// Options.DeferCacheCheck hands that check to a caller that hashes the
// bytes as it reads them anyway (Result.Unchecked, CheckSum, Check).
//
// An interrupted download keeps its .part file and the next attempt asks
// for the rest with a Range request; a server that ignores Range gets a
// clean restart. Resuming needs an expected hash: without one nothing would
// catch a file that changed between the attempts. A hash mismatch deletes
// the .part file; if the download was resumed it is retried once from
// scratch before the mismatch is reported. Cancelling the context removes
// the .part file.
//
// An item without a hash is refused unless Options.InsecureSkipHash is set:
// the error names the sha256 of what was downloaded and the line to add to
// the recipe. file:// URLs and plain paths are copied with the same
// verification.
//
// Timeouts: Options.ConnectTimeout bounds connecting (and the TLS
// handshake); Options.IdleTimeout fails a transfer when no byte arrives for
// that long, whether waiting for headers or in the middle of the body. A body
// shorter than its Content-Length is an error. Go's HTTP client never reads
// past Content-Length, so extra bytes from a lying server are not seen: the
// file is what Content-Length announced and the hash check decides.
package fetch
