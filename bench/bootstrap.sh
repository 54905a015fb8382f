#!/usr/bin/env bash
# Figure of issue 6: "recipe bootstrap" wall time against "rpm --root
# TARGET -i" of the same RPM set in one transaction (goal: ratio <= 1.2),
# side by side, on the base closure of the test vendor ISO: with hyperfine
# (all runs of one command, then all of the other), or in interleaved
# pairs (PAIRS=n), which a change of the machine's load between the two
# halves of a hyperfine run cannot tilt.
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
#   PAIRS=7 bench/bootstrap.sh           # interleaved pairs instead of hyperfine
#   RECIPES=/a/copy bench/bootstrap.sh   # recipes other than the tree's
#
# In the interleaved mode every pair runs both commands from the same
# preparation (both targets removed, synced), rpm first in odd pairs and
# bootstrap first in even ones, so that a steady rise or fall of the load
# favours neither; it prints each pair's wall and CPU times, their ratio,
# the time of rpm's transaction inside bootstrap and the rest (bootstrap's
# own work, from its last progress line), and the load average around the
# pair; then the median ratio.
#
# Needs: go, rpm, unshare, hyperfine (not with PAIRS); run as root.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/levitate-bootstrap-bench}
runs=${RUNS:-5}
pairs=${PAIRS:-}
recipes=${RECIPES:-$repo/recipes}
iso=${LEVITATE_VENDOR_ISO:-}
if [ -z "$iso" ]; then
	iso=$(cd "$repo" && go run ./cmd/mkvendoriso | tail -n 1)
fi
mkdir -p "$work"
bin=$work/recipe
(cd "$repo" && go build -o "$bin" ./cmd/recipe)

names=(base linux linux-firmware systemd networkmanager bash coreutils util-linux)
cache=$work/cache
boot=(
	"$bin" --recipes "$recipes" bootstrap --only -M -c --cache-dir "$cache" --repo "$iso"
)

# Warm the cache with exactly the closure: a fresh cache, one bootstrap.
rm -rf "$cache" "$work/warm"
mkdir -p "$work/warm"
"${boot[@]}" "$work/warm" "${names[@]}" >/dev/null 2>&1
rm -rf "$work/warm"
rpms=("$cache"/rpms/*.rpm)
echo "closure: ${#rpms[@]} packages, $(du -sh "$cache/rpms" | cut -f1)"

printf '%s\n' "${boot[@]}" "$work/t-recipe" "${names[@]}" >"$work/recipe.argv"
printf '%s\n' rpm --root "$work/t-rpm" --dbpath /var/lib/rpm -i --nosignature "${rpms[@]}" >"$work/rpm.argv"
# hyperfine takes shell strings; build them from the argv files so that
# no path is split.
quote() { local a out=; while IFS= read -r a; do out+=" $(printf '%q' "$a")"; done <"$1"; echo "${out# }"; }
recipe_cmd="$(quote "$work/recipe.argv") >/dev/null 2>&1"
rpm_cmd="$(quote "$work/rpm.argv") >/dev/null 2>&1"

prepare() {
	rm -rf "$work/t-recipe" "$work/t-rpm"
	mkdir -p "$work/t-recipe" "$work/t-rpm"
	sync
}

# timed ARGVFILE runs the command whose argv is in ARGVFILE, one word a
# line, and prints its wall time and its CPU time (user and system, with
# its children's) in seconds; a failure stops the script.
timed() {
	local argv=() a t
	while IFS= read -r a; do argv+=("$a"); done <"$1"
	t=$( { TIMEFORMAT='%R %U %S'; time "${argv[@]}" >"$work/last.log" 2>&1; } 2>&1) || {
		echo "failed: ${argv[*]:0:6} ..." >&2
		tail -n 5 "$work/last.log" >&2
		return 1
	}
	echo "$t" | awk '{ printf "%.2f %.2f", $1, $2 + $3 }'
}

load() { cut -d' ' -f1 /proc/loadavg; }

if [ -n "$pairs" ]; then
	echo "| pair | first | rpm [s] | bootstrap [s] | ratio | rpm CPU [s] | bootstrap CPU [s] | its rpm [s] | own [s] | load |"
	echo "|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|"
	ratios=()
	for ((i = 1; i <= pairs; i++)); do
		l0=$(load)
		if ((i % 2)); then
			first=rpm
			prepare
			t=$(timed "$work/rpm.argv")
			read -r r rc <<<"$t"
			prepare
			t=$(timed "$work/recipe.argv")
			read -r b bc <<<"$t"
			cp "$work/last.log" "$work/recipe.log"
		else
			first=bootstrap
			prepare
			t=$(timed "$work/recipe.argv")
			read -r b bc <<<"$t"
			cp "$work/last.log" "$work/recipe.log"
			prepare
			t=$(timed "$work/rpm.argv")
			read -r r rc <<<"$t"
		fi
		l1=$(load)
		ratio=$(awk -v r="$r" -v b="$b" 'BEGIN { printf "%.2f", b / r }')
		ratios+=("$ratio")
		# "==> times: hierarchy and fetch 0.20 s, rpm 9.68 s, ..."
		inner=$(sed -n 's/^==> times: .*, rpm \([0-9.]*\) s,.*/\1/p' "$work/recipe.log")
		own=$(awk -v b="$b" -v i="${inner:-0}" 'BEGIN { printf "%.2f", b - i }')
		echo "| $i | $first | $r | $b | $ratio | $rc | $bc | ${inner:-?} | $own | $l0 to $l1 |"
	done
	printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "\nmedian ratio %.2f over %d pairs (min %.2f, max %.2f)\n", m, NR, v[1], v[NR] }'
	rm -rf "$work/t-recipe" "$work/t-rpm"
	exit 0
fi

hyperfine --runs "$runs" --export-markdown "$work/bootstrap.md" \
	--prepare "rm -rf $work/t-recipe $work/t-rpm && mkdir -p $work/t-recipe $work/t-rpm && sync" \
	-n "rpm --root T -i (one transaction)" "$rpm_cmd" \
	-n "recipe bootstrap T" "$recipe_cmd"
cat "$work/bootstrap.md"
rm -rf "$work/t-recipe" "$work/t-rpm"
