// Package repo reads rpm-md repository metadata (repomd.xml, primary.xml
// and, on demand, filelists.xml) into an Index that answers the questions a
// dependency resolver asks: packages by name, by provide and by file path.
//
// Every data file is verified against the checksum repomd.xml gives for it
// before it is parsed. Parsing XML is slow (about 16 MB/s), so the parsed
// index is cached under a directory keyed by the sha256 of repomd.xml; a
// cache entry that fails its own checksum or does not decode is rebuilt.
package repo
