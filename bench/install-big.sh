#!/usr/bin/env bash
# The 100 MB figure of issue 3 alone (bench/install.sh runs all three):
# a cached ~100 MB .tar.zst package installed by "recipe install" against
# "tar --zstd -xf" of the same file into an empty directory, side by side
# in one hyperfine run, plus tar followed by "sync -f" of its output (recipe
# makes its transaction durable; tar does not sync at all).
#
#   bench/install-big.sh        # WORK defaults to /tmp/levitate-install-bench
#   RUNS=10 WORK=/some/dir bench/install-big.sh
#
# Needs: go, tar, zstd, hyperfine, sha256sum.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/levitate-install-bench}
runs=${RUNS:-10}
mkdir -p "$work"
bin=$work/recipe
(cd "$repo" && go build -o "$bin" ./cmd/recipe)

# One ~100 MB package (bench/bigpkg.sh), shared with the other install benchmark.
big=$work/big
. "$repo/bench/bigpkg.sh"
make_big_package "$big"
du -b "$big/recipes/big.tar.zst"

rb=$work/root-big
rm -rf "$rb"
"$bin" --root "$rb" --recipes "$big/recipes" install big >/dev/null 2>&1

hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/big.md" \
	--prepare "rm -rf $work/out && mkdir $work/out && sync" \
	--prepare "rm -rf $rb/usr $rb/var/lib && sync" \
	--prepare "rm -rf $work/out && mkdir $work/out && sync" \
	-n 'tar --zstd -xf' "tar --zstd -xf $big/recipes/big.tar.zst -C $work/out" \
	-n 'recipe install big' "$bin --root $rb --recipes $big/recipes install big" \
	-n 'tar --zstd -xf + sync -f' "sh -c 'tar --zstd -xf $big/recipes/big.tar.zst -C $work/out && sync -f $work/out'"
rm -rf "$work/out"
