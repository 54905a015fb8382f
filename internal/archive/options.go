package archive

import (
	"errors"
	"fmt"
)

// Default limits, used when the matching Options field is zero.
const (
	DefaultMaxFileSize = 8 << 30  // 8 GiB per file
	DefaultMaxTotal    = 32 << 30 // 32 GiB for the whole archive
	DefaultMaxEntries  = 1 << 20
	// DefaultMaxRatio bounds a zip's declared size against its compressed
	// size. Deflate cannot beat about 1032:1, so a higher claim is a bomb.
	DefaultMaxRatio = 1100
)

// ratioFloor is the declared size below which the ratio check is skipped:
// tiny archives of empty files have huge ratios and harm no one.
const ratioFloor = 1 << 20

// Options tunes an extraction. The zero value is ready to use.
type Options struct {
	// AllowSetuid lists entry paths (as cleaned, for example "usr/bin/su")
	// that may carry the setuid or setgid bit.
	AllowSetuid []string
	// MaxFileSize bounds one file's size; zero means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxTotal bounds the sum of all file sizes; zero means DefaultMaxTotal.
	MaxTotal int64
	// MaxEntries bounds the number of entries; zero means DefaultMaxEntries.
	MaxEntries int
	// MaxRatio bounds a zip's declared uncompressed size divided by the
	// archive's size; zero means DefaultMaxRatio.
	MaxRatio int64
	// SingleName names the output of a single compressed file (gz, xz, zst).
	// Empty means the source name without its extension.
	SingleName string
	// TempDir holds the spool file when a zip arrives as a plain stream;
	// empty means os.TempDir.
	TempDir string
	// Progress, if set, is called as compressed input is consumed with the
	// bytes read so far and the input size (-1 when unknown).
	Progress func(done, total int64)
	// Sums asks for the sha256 of every regular file, computed from the
	// bytes as they are written (Stats.Sums), so that a caller recording
	// digests need not read the tree back.
	Sums bool
}

func (o *Options) maxFileSize() int64 { return orDefault(o.MaxFileSize, DefaultMaxFileSize) }
func (o *Options) maxTotal() int64    { return orDefault(o.MaxTotal, DefaultMaxTotal) }
func (o *Options) maxRatio() int64    { return orDefault(o.MaxRatio, DefaultMaxRatio) }
func (o *Options) maxEntries() int {
	if o.MaxEntries > 0 {
		return o.MaxEntries
	}
	return DefaultMaxEntries
}

func orDefault(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

// Stats counts what an extraction wrote.
type Stats struct {
	Files, Dirs, Symlinks, Hardlinks int
	// Bytes is the total size of the regular files written.
	Bytes int64
	// Compressed is the number of input bytes consumed.
	Compressed int64
	// Sums maps the cleaned path of every regular file (hard links
	// included) to its digest; set only with Options.Sums.
	Sums map[string]Sum
}

// Sum is the digest of one extracted regular file.
type Sum struct {
	SHA256 [32]byte
	Size   int64
}

// Reasons an extraction fails; match them with errors.Is.
var (
	ErrEscape        = errors.New("path escapes the destination")
	ErrBadName       = errors.New("invalid name")
	ErrThroughLink   = errors.New("path goes through a symbolic link")
	ErrSpecial       = errors.New("special files are not allowed")
	ErrSetuid        = errors.New("setuid/setgid bit not declared")
	ErrDuplicate     = errors.New("duplicate entry")
	ErrLink          = errors.New("bad hard link")
	ErrTooLarge      = errors.New("size limit exceeded")
	ErrCorrupt       = errors.New("corrupt archive")
	ErrDestination   = errors.New("bad destination")
	ErrUnsupported   = errors.New("unsupported entry")
	ErrSymlinkCycle  = errors.New("too many levels of symbolic links")
	ErrUnknownFormat = errors.New("unknown archive format")
)

// Error reports a failed extraction: which archive, which entry (empty when
// the failure is not about one entry) and why.
type Error struct {
	Archive string
	Entry   string
	Err     error
}

func (e *Error) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("%s: %v", e.Archive, e.Err)
	}
	return fmt.Sprintf("%s: entry %q: %v", e.Archive, e.Entry, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
