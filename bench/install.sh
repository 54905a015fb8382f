#!/usr/bin/env bash
# Figures of issue 3 for the recipe command as a whole process:
#   1. warm no-op "recipe install X" (X already installed), 201 recipes in
#      the recipe directory (goal: under 50 ms);
#   2. 200 small cached packages installed in one transaction (goal: under 5 s);
#   3. a cached ~100 MB .tar.zst package installed vs "tar --zstd -xf" of the
#      same file into an empty directory, side by side (goal: ratio <= 1.3).
# "Cached" means the sources are already in ROOT/var/cache/recipe: each run
# starts from a root that holds only the cache.
#
#   bench/install.sh            # WORK defaults to /tmp/levitate-install-bench
#   RUNS=10 WORK=/some/dir bench/install.sh
#
# Needs: go, tar, zstd, hyperfine, sha256sum.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/levitate-install-bench}
runs=${RUNS:-10}
mkdir -p "$work"
bin=$work/recipe
(cd "$repo" && go build -o "$bin" ./cmd/recipe)

# --- 200 small packages, each a .tar.zst of 3 files installed by forms ---
small=$work/small
if [ ! -f "$small/done" ]; then
	rm -rf "$small" && mkdir -p "$small/recipes" "$small/src"
	for i in $(seq -w 0 199); do
		n=p$i
		mkdir -p "$small/src/$n"
		printf '#!/bin/sh\necho %s\n' "$n" >"$small/src/$n/$n.sh"
		chmod 755 "$small/src/$n/$n.sh"
		printf 'key=%s\n' "$n" >"$small/src/$n/$n.conf"
		printf 'doc of %s\n' "$n" >"$small/src/$n/README"
		tar --zstd -cf "$small/recipes/$n.tar.zst" -C "$small/src" "$n"
		sum=$(sha256sum "$small/recipes/$n.tar.zst" | cut -d' ' -f1)
		cat >"$small/recipes/$n.recipe" <<RECIPE
(package "$n" "1.0"
  (description "small benchmark package $n")
  (acquire (file "$n.tar.zst" (sha256 "$sum")))
  (build (extract tar-zst))
  (install
    (to-bin "$n/$n.sh" "$n")
    (to-config "$n/$n.conf" "/etc/$n.conf")
    (to-share "$n/README" "doc/$n/README")))
RECIPE
	done
	rm -rf "$small/src"
	touch "$small/done"
fi
names=$(cd "$small/recipes" && ls *.recipe | sed 's/\.recipe$//' | tr '\n' ' ')

# One ~100 MB package (bench/bigpkg.sh), shared with the other install benchmark.
big=$work/big
. "$repo/bench/bigpkg.sh"
make_big_package "$big"
du -b "$big/recipes/big.tar.zst"

# Warm the caches (and check that everything installs).
rs=$work/root-small rb=$work/root-big rn=$work/root-noop
rm -rf "$rs" "$rb" "$rn"
"$bin" --root "$rs" --recipes "$small/recipes" install $names >/dev/null 2>&1
"$bin" --root "$rb" --recipes "$big/recipes" install big >/dev/null 2>&1
"$bin" --root "$rn" --recipes "$small/recipes" install p000 >/dev/null 2>&1

# 1. Warm no-op install.
hyperfine -N --warmup 3 --runs $((runs * 5)) --export-markdown "$work/noop.md" \
	-n 'recipe install X (installed)' "$bin --root $rn --recipes $small/recipes install p000"

# 2. 200 small cached packages in one transaction.
hyperfine --runs "$runs" --export-markdown "$work/small.md" \
	--prepare "rm -rf $rs/usr $rs/etc $rs/var/lib" \
	-n 'recipe install 200 packages' "$bin --root $rs --recipes $small/recipes install $names"

# 3. 100 MB package vs tar, side by side. recipe makes the transaction
# durable with syncfs(2) before its commit mark and at the end (and starts
# early syncfs calls while it extracts, so that the disk writes meanwhile);
# tar does not sync at all, so the third command shows tar with one syncfs
# of its output. bench/install-big.sh runs this figure alone and
# bench/install-rounds.sh interleaves the commands round by round.
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/big.md" \
	--prepare "rm -rf $work/out && mkdir $work/out && sync" \
	--prepare "rm -rf $rb/usr $rb/var/lib && sync" \
	--prepare "rm -rf $work/out && mkdir $work/out && sync" \
	-n 'tar --zstd -xf' "tar --zstd -xf $big/recipes/big.tar.zst -C $work/out" \
	-n 'recipe install big' "$bin --root $rb --recipes $big/recipes install big" \
	-n 'tar --zstd -xf + sync -f' "sh -c 'tar --zstd -xf $big/recipes/big.tar.zst -C $work/out && sync -f $work/out'"
rm -rf "$work/out"
