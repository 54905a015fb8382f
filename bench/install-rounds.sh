#!/usr/bin/env bash
# The 100 MB figure of issue 3 measured in interleaved rounds: each round
# runs "tar --zstd -xf", "recipe install big" and "tar --zstd -xf && sync -f"
# once each, from a synced, empty start, so that a load that comes and goes
# on a shared machine hits all three alike. Prints per command the median,
# minimum and mean wall time, and the median of the per-round ratios to tar.
# Run bench/install-big.sh (or bench/install.sh) first: it builds the binary
# and the package.
#
#   ROUNDS=30 WORK=/some/dir bench/install-rounds.sh
#
# Needs: tar, zstd, python3 (for the statistics).
set -euo pipefail

work=${WORK:-/tmp/levitate-install-bench}
rounds=${ROUNDS:-30}
bin=$work/recipe big=$work/big rb=$work/root-big out=$work/out
[ -x "$bin" ] && [ -f "$big/done" ] || { echo "run bench/install-big.sh first" >&2; exit 1; }

ms() { echo $(($(date +%s%N) / 1000000)); }
declare -A times
names=(tar recipe tar+sync)
for _ in $(seq "$rounds"); do
	for n in "${names[@]}"; do
		rm -rf "$out" "$rb/usr" "$rb/var/lib"
		mkdir "$out"
		sync
		s=$(ms)
		case $n in
		tar) tar --zstd -xf "$big/recipes/big.tar.zst" -C "$out" ;;
		recipe) "$bin" --root "$rb" --recipes "$big/recipes" install big >/dev/null 2>&1 ;;
		tar+sync) tar --zstd -xf "$big/recipes/big.tar.zst" -C "$out" && sync -f "$out" ;;
		esac
		times[$n]+="$(($(ms) - s)) "
	done
done
rm -rf "$out"
python3 - "${times[tar]}" "${times[recipe]}" "${times[tar+sync]}" <<'PY'
import statistics as st, sys
tar, recipe, tarsync = ([int(x) for x in a.split()] for a in sys.argv[1:])
print("| command | median ms | min ms | mean ms | median ratio to tar (per round) |")
print("|---|---:|---:|---:|---:|")
for name, d in (("tar --zstd -xf", tar), ("recipe install big", recipe), ("tar --zstd -xf + sync -f", tarsync)):
    r = st.median(a / b for a, b in zip(d, tar))
    print(f"| {name} | {st.median(d):.0f} | {min(d)} | {st.mean(d):.0f} | {r:.2f} |")
PY
