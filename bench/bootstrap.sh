#!/usr/bin/env bash
# Figure of issue 6: "recipe bootstrap" wall time against "rpm --root
# TARGET -i" of the same RPM set in one transaction (goal: ratio <= 1.2),
# side by side with hyperfine, on the base closure of the test vendor ISO.
#
# Both sides start from an empty target and read packages from a warm
# local cache: bootstrap runs with -c (it still re-checks every package's
# sha256 against the repodata), rpm gets the very files bootstrap fetched.
# Bootstrap's extra work is the hierarchy, the mount namespace, the
# recipes, and hashing and recording every installed file in its database.
# The base set is named without "recipe", which the vendor ISO lacks (the
# live medium adds a recipe RPM).
#
#   bench/bootstrap.sh                   # ISO from $LEVITATE_VENDOR_ISO or make fixture
#   RUNS=5 WORK=/some/dir bench/bootstrap.sh
#
# Needs: go, rpm, unshare, hyperfine; run as root.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/levitate-bootstrap-bench}
runs=${RUNS:-5}
iso=${LEVITATE_VENDOR_ISO:-}
if [ -z "$iso" ]; then
	iso=$(cd "$repo" && go run ./cmd/mkvendoriso | tail -n 1)
fi
mkdir -p "$work"
bin=$work/recipe
(cd "$repo" && go build -o "$bin" ./cmd/recipe)

names="base linux linux-firmware systemd networkmanager bash coreutils util-linux"
cache=$work/cache
boot=(
	"$bin" --recipes "$repo/recipes" bootstrap --only -M -c --cache-dir "$cache" --repo "$iso"
)

# Warm the cache with exactly the closure: a fresh cache, one bootstrap.
rm -rf "$cache" "$work/warm"
mkdir -p "$work/warm"
"${boot[@]}" "$work/warm" $names >/dev/null 2>&1
rm -rf "$work/warm"
rpms=("$cache"/rpms/*.rpm)
echo "closure: ${#rpms[@]} packages, $(du -sh "$cache/rpms" | cut -f1)"

printf '%s\n' "${boot[@]}" "$work/t-recipe" $names >"$work/recipe.argv"
printf '%s\n' rpm --root "$work/t-rpm" --dbpath /var/lib/rpm -i --nosignature "${rpms[@]}" >"$work/rpm.argv"
# hyperfine takes shell strings; build them from the argv files so that
# no path is split.
quote() { local a out=; while IFS= read -r a; do out+=" $(printf '%q' "$a")"; done <"$1"; echo "${out# }"; }
recipe_cmd="$(quote "$work/recipe.argv") >/dev/null 2>&1"
rpm_cmd="$(quote "$work/rpm.argv") >/dev/null 2>&1"

hyperfine --runs "$runs" --export-markdown "$work/bootstrap.md" \
	--prepare "rm -rf $work/t-recipe $work/t-rpm && mkdir -p $work/t-recipe $work/t-rpm && sync" \
	-n "rpm --root T -i (one transaction)" "$rpm_cmd" \
	-n "recipe bootstrap T" "$recipe_cmd"
cat "$work/bootstrap.md"
rm -rf "$work/t-recipe" "$work/t-rpm"
