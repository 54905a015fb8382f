#!/usr/bin/env bash
# Figures of issue 5 for `levitateiso build` on the test vendor ISO:
#   1. a clean build (empty stage cache) by stage, with the compression time
#      of each stage and the time outside compression (goal: <= 15 %);
#   2. a rebuild after an airootfs/ change with the same compressor
#      (goal: <= 25 % of the clean build);
#   3. the ISO size with zstd (development) and xz x86 (release).
# Each build uses the repository's default profile (a copy, so the
# airootfs change stays out of the checkout), SOURCE_DATE_EPOCH and a
# prebuilt recipe binary, so that only the compressor differs.
#
#   bench/iso.sh                      # WORK defaults to /tmp/levitate-iso-bench
#   WORK=/some/dir COMPRESSIONS="zstd:3 xz:x86" bench/iso.sh
#
# Needs what `make demo` needs (run `make deps` first), as root.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/levitate-iso-bench}
compressions=${COMPRESSIONS:-zstd:3 xz:x86}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
rm -rf "$work" && mkdir -p "$work"
cd "$repo"
go build -o "$work/levitateiso" ./cmd/levitateiso
CGO_ENABLED=0 go build -trimpath -o "$work/recipe" ./cmd/recipe
vendor=$(go run ./cmd/mkvendoriso | tail -n 1)
cp -a profiles/levitate "$work/profile"
# The copy keeps using the repository's recipes.
sed -i "s|^recipes = .*|recipes = $repo/recipes|" "$work/profile/profile.conf"

# build NAME COMPRESSION CACHE: one build; its report goes to NAME.report.txt.
build() {
	LEVITATE_CACHE=$work/$3 "$work/levitateiso" build "$work/profile" --source "$vendor" \
		--no-verify-signatures --compression "$2" --recipe "$work/recipe" \
		-o "$work/$1/levitateos.iso" --work "$work/$1.work" >"$work/$1.log" 2>&1 ||
		{ cat "$work/$1.log"; exit 1; }
	cp "$work/$1/levitateos.report.txt" "$work/$1.report.txt"
}
total() { awk '$1 == "total" {print $2}' "$work/$1.report.txt"; }
outside() { awk '/^outside compression/ {print $3, $5}' "$work/$1.report.txt"; }

printf 'machine: %s, load average %s\n\n' "$(nproc) cores" "$(cut -d' ' -f1-3 /proc/loadavg)"
for c in $compressions; do
	tag=${c//:/-}
	build "clean-$tag" "$c" "cache-$tag"
	echo "## clean build, $c"
	cat "$work/clean-$tag.report.txt"
	echo
	date -u >"$work/profile/airootfs/etc/levitate-bench-stamp"
	build "rebuild-$tag" "$c" "cache-$tag"
	echo "## rebuild after an airootfs change, $c"
	cat "$work/rebuild-$tag.report.txt"
	echo
	awk -v c="$c" -v a="$(total "clean-$tag")" -v b="$(total "rebuild-$tag")" \
		-v o="$(outside "clean-$tag")" -v s="$(stat -c %s "$work/clean-$tag/levitateos.iso")" \
		'BEGIN { printf "%s: clean %.1f s, rebuild %.1f s = %.0f %%, outside compression %s, ISO %.1f MiB\n\n", c, a, b, 100*b/a, o, s/1048576 }'
done
