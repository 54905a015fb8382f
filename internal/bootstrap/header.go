package bootstrap

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/repo"
	rpmutils "github.com/sassoftware/go-rpmutils"
)

// rpm file flags (rpmfiles.h).
const (
	fileConfig = rpmutils.RPMFILE_CONFIG
	fileGhost  = rpmutils.RPMFILE_GHOST
)

// rpmFile is one path an installed RPM owns.
type rpmFile struct {
	path  string
	flags uint64
	size  int64
	// sha256 is the header's digest of the file's content, "" when the
	// package uses another algorithm or the entry is not a regular file.
	sha256 string
}

// fileLists reads what each package owns from the headers of the package
// files, which rpm copies into its database as they are (adding only
// install-time tags that the records do not use): pkgs[i] is the package
// of files[i]. Reading them on all CPUs while rpm runs replaces a query
// of rpm's database afterwards, which cost a second rpm start and a pass
// over every header after the transaction. Every problem is reported,
// sorted.
func fileLists(ctx context.Context, pkgs []*repo.Package, files []string) (map[*repo.Package][]rpmFile, error) {
	out := make([][]rpmFile, len(files))
	errs := make([]error, len(files))
	forEach(len(files), 1, func(k int) {
		if ctx.Err() == nil {
			out[k], errs[k] = headerFiles(files[k], pkgs[k])
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := joinSorted(errs); err != nil {
		return nil, err
	}
	m := make(map[*repo.Package][]rpmFile, len(pkgs))
	for k, p := range pkgs {
		m[p] = out[k]
	}
	return m, nil
}

// headerFiles reads the file list of the package file name, which must
// be the package p (the repodata's checksum was checked when it was
// fetched; the name check guards against a mix-up of paths).
func headerFiles(name string, p *repo.Package) ([]rpmFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// ReadHeader checks the main header against the signature header's
	// digest, so a damaged file fails here too.
	h, err := rpmutils.ReadHeader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	nevra, err := h.GetNEVRA()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if nevra.Name != p.Name || nevra.Arch != p.Arch {
		return nil, fmt.Errorf("%s: the header names %s.%s; the repodata %s", name, nevra.Name, nevra.Arch, p.NEVRA)
	}
	return headerFileList(h, name)
}

// headerFileList extracts the tags the records need. The digests are
// sha256 only when FILEDIGESTALGO says so (a header without the tag uses
// MD5); other digests are left out and the files hashed from the disk.
// rpm reads the tag's first value: rpmpack writes one per file.
func headerFileList(h *rpmutils.RpmHeader, name string) ([]rpmFile, error) {
	paths, err := h.GetStrings(rpmutils.OLDFILENAMES)
	if errors.As(err, &rpmutils.NoSuchTagError{}) {
		return nil, nil // a package without files
	}
	if err != nil {
		return nil, fmt.Errorf("%s: file names: %w", name, err)
	}
	sizes, err := h.GetUint64s(rpmutils.LONGFILESIZES) // files of 4 GiB and more
	if errors.As(err, &rpmutils.NoSuchTagError{}) {
		sizes, err = h.GetUint64s(rpmutils.FILESIZES)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: file sizes: %w", name, err)
	}
	flags, err := h.GetUint32s(rpmutils.FILEFLAGS)
	if err != nil {
		return nil, fmt.Errorf("%s: file flags: %w", name, err)
	}
	var digests []string
	if algo, err := h.GetInts(rpmutils.FILEDIGESTALGO); err == nil && len(algo) > 0 && algo[0] == rpmutils.PGPHASHALGO_SHA256 {
		if digests, err = h.GetStrings(rpmutils.FILEDIGESTS); err != nil {
			return nil, fmt.Errorf("%s: file digests: %w", name, err)
		}
	}
	if len(sizes) != len(paths) || len(flags) != len(paths) || digests != nil && len(digests) != len(paths) {
		return nil, fmt.Errorf("%s: %d file names, %d sizes, %d flags, %d digests", name, len(paths), len(sizes), len(flags), len(digests))
	}
	out := make([]rpmFile, len(paths))
	for i, p := range paths {
		out[i] = rpmFile{path: p, flags: uint64(flags[i]), size: int64(sizes[i])}
		if digests != nil && len(digests[i]) == 64 {
			out[i].sha256 = digests[i]
		}
	}
	return out, nil
}

// entryPackages returns the packages of entries, in order.
func entryPackages(entries []closure.Entry) []*repo.Package {
	out := make([]*repo.Package, len(entries))
	for i, e := range entries {
		out[i] = e.Pkg
	}
	return out
}
