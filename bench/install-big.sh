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

# One ~100 MB package: 100 files of 1 MiB, half random, half text (the
# same data bench/install.sh makes, in the same place).
big=$work/big
if [ ! -f "$big/done" ]; then
	rm -rf "$big" && mkdir -p "$big/recipes" "$big/src/big"
	for i in $(seq -w 0 99); do
		if [ $((10#$i % 2)) -eq 0 ]; then
			head -c 1048576 /dev/urandom >"$big/src/big/f$i"
		else
			yes "line $i of a compressible benchmark file" | head -c 1048576 >"$big/src/big/f$i" || true # yes dies of SIGPIPE
		fi
	done
	tar --zstd -cf "$big/recipes/big.tar.zst" -C "$big/src" big
	rm -rf "$big/src"
	sum=$(sha256sum "$big/recipes/big.tar.zst" | cut -d' ' -f1)
	cat >"$big/recipes/big.recipe" <<RECIPE
(package "big" "1.0"
  (description "a ~100 MB benchmark package")
  (acquire (file "big.tar.zst" (sha256 "$sum")))
  (build (extract tar-zst))
  (install (to-share "big" "big")))
RECIPE
	touch "$big/done"
fi
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
