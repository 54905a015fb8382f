#!/usr/bin/env bash
# Times internal/archive.Extract against GNU tar on the same ~100 MB .tar.zst,
# side by side in one hyperfine run, each into an empty directory.
#
#   bench/extract.sh            # WORK defaults to /tmp/levitate-extract-bench
#   RUNS=10 WORK=/some/dir bench/extract.sh
#
# Needs: go, tar, zstd, hyperfine.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/levitate-extract-bench}
runs=${RUNS:-5}
mkdir -p "$work"

go test -c -o "$work/archive.test" "$repo/internal/archive"

if [ ! -f "$work/data.tar.zst" ]; then
	rm -rf "$work/tree"
	ARCHIVE_BENCH_TOOL=gen ARCHIVE_BENCH_DST="$work/tree" "$work/archive.test"
	tar --zstd -cf "$work/data.tar.zst" -C "$work/tree" .
	rm -rf "$work/tree"
fi
du -b "$work/data.tar.zst"

hyperfine --warmup 1 --runs "$runs" \
	--prepare "rm -rf $work/out && mkdir $work/out && sync" \
	--export-markdown "$work/extract.md" \
	-n 'tar --zstd -xf' "tar --zstd -xf $work/data.tar.zst -C $work/out" \
	-n 'archive.Extract' "env ARCHIVE_BENCH_TOOL=extract ARCHIVE_BENCH_SRC=$work/data.tar.zst ARCHIVE_BENCH_DST=$work/out $work/archive.test"
rm -rf "$work/out"
