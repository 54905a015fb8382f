package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// formatVersion is the version of the record and journal envelopes. A
// reader refuses any other version rather than guessing.
const formatVersion = 1

// The envelope magics: the first word of a record and of a journal.
const (
	recordMagic  = "recipe-db"
	journalMagic = "recipe-journal"
)

// ErrCorrupt is wrapped by every *CorruptError.
var ErrCorrupt = errors.New("corrupt")

// CorruptError reports a database file that failed its checks. Such a file
// is never used.
type CorruptError struct {
	Path   string // host path of the file
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: corrupt: %s", e.Path, e.Reason)
}

// Unwrap makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// seal wraps a body in the envelope "MAGIC VERSION SHA256 LEN\n" + body.
// The length catches truncation cheaply, the hash catches everything else.
func seal(magic string, body []byte) []byte {
	sum := sha256.Sum256(body)
	out := make([]byte, 0, len(body)+len(magic)+90)
	out = append(out, magic...)
	out = append(out, ' ')
	out = strconv.AppendInt(out, formatVersion, 10)
	out = append(out, ' ')
	out = hex.AppendEncode(out, sum[:])
	out = append(out, ' ')
	out = strconv.AppendInt(out, int64(len(body)), 10)
	out = append(out, '\n')
	return append(out, body...)
}

// open checks the envelope of data and returns the body and what follows
// it (the journal's commit mark). The reason string is empty on success.
func open(magic string, data []byte) (body, rest []byte, reason string) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, nil, "missing header line (truncated?)"
	}
	f := bytes.Fields(data[:nl])
	if len(f) != 4 || string(f[0]) != magic {
		return nil, nil, fmt.Sprintf("header %q is not %q VERSION SHA256 LENGTH", data[:nl], magic)
	}
	if v, err := strconv.Atoi(string(f[1])); err != nil || v != formatVersion {
		return nil, nil, fmt.Sprintf("unsupported format version %q (want %d)", f[1], formatVersion)
	}
	n, err := strconv.Atoi(string(f[3]))
	if err != nil || n < 0 {
		return nil, nil, fmt.Sprintf("bad length %q", f[3])
	}
	data = data[nl+1:]
	if len(data) < n {
		return nil, nil, fmt.Sprintf("truncated: %d bytes, header says %d", len(data), n)
	}
	body, rest = data[:n], data[n:]
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != string(f[2]) {
		return nil, nil, "checksum mismatch"
	}
	return body, rest, ""
}

// encodeRecord returns the bytes of a record file: the envelope around a
// meta line (JSON) and the file lines (see filelist.go).
func encodeRecord(r *Record) ([]byte, error) {
	meta, err := json.Marshal(&r.Meta)
	if err != nil {
		return nil, fmt.Errorf("encode record %q: %w", r.Name, err)
	}
	body := make([]byte, 0, len(meta)+1+len(r.Files)*120)
	body = append(append(body, meta...), '\n')
	for _, f := range r.Files {
		body = appendFileLine(body, f)
	}
	return seal(recordMagic, body), nil
}

// decodeRecord checks and decodes a record file read from hostPath; with
// withFiles false the file list is checksummed but not parsed: the
// checksum catches damage on disk, and a list that only a bug could have
// sealed is still caught by whoever reads the files.
func decodeRecord(hostPath, name string, data []byte, withFiles bool) (*Record, error) {
	body, rest, reason := open(recordMagic, data)
	if reason == "" && len(rest) != 0 {
		reason = fmt.Sprintf("%d bytes after the body", len(rest))
	}
	if reason != "" {
		return nil, &CorruptError{Path: hostPath, Reason: reason}
	}
	nl := bytes.IndexByte(body, '\n')
	if nl < 0 {
		return nil, &CorruptError{Path: hostPath, Reason: "no meta line"}
	}
	r := &Record{}
	if err := json.Unmarshal(body[:nl], &r.Meta); err != nil {
		return nil, &CorruptError{Path: hostPath, Reason: fmt.Sprintf("meta: %v", err)}
	}
	if r.Name != name {
		return nil, &CorruptError{Path: hostPath, Reason: fmt.Sprintf("record names package %q", r.Name)}
	}
	if withFiles {
		files, err := parseFileLines(body[nl+1:])
		if err != nil {
			return nil, &CorruptError{Path: hostPath, Reason: err.Error()}
		}
		r.Files = files
	}
	return r, nil
}
