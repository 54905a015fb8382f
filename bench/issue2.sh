#!/usr/bin/env bash
# The three figures of issue 2, in one compact table:
#   (a) read and validate 5,000 generated recipes    (goal < 300 ms)
#   (b) resolve a 5,000-node graph                    (goal <  50 ms)
#   (c) `recipe search` as a whole process, 5,000 recipes (goal < 300 ms)
# Wall times are inflated by whatever else runs on the machine: the CPU
# time (user+sys) is printed beside them, and the load average before and
# after. (a) and (b) are medians of COUNT benchmark runs; (c) is the mean
# of hyperfine runs, for the worst-case query (every file matches and is
# decoded) and a typical one.
# Usage: bench/issue2.sh [WORKDIR]   (default: a fresh temporary directory)
# Env: COUNT (default 5), N (default 5000).
# Needs: go, hyperfine, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
count=${COUNT:-5}
n=${N:-5000}
mkdir -p "$work"

# median COLUMN-NAME: the median of the value preceding NAME on the
# benchmark lines read from stdin.
median() {
	awk -v unit="$1" '/^Benchmark/ { for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1) }' |
		sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR+1)/2)] }'
}
ms() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.0f ms", x / 1e6 }'; }
cpums() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.0f ms", x }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

go test -run '^$' -bench '^BenchmarkLoadDir5000$' -benchmem -count "$count" ./internal/recipe/ >"$work/loaddir.txt"
go test -run '^$' -bench '^BenchmarkResolve5000$' -benchmem -count "$count" ./internal/resolve/ >"$work/resolve.txt"

go build -o "$work/recipe" ./cmd/recipe
dir=$work/recipes-$n
if [[ ! -d $dir ]]; then
	go run ./bench/genrecipes "$dir" "$n" 1
fi
hyperfine -N --warmup 2 --min-runs 10 --ignore-failure --style none --export-json "$work/search.json" \
	"$work/recipe --recipes $dir search synthetic" \
	"$work/recipe --recipes $dir search curl" >/dev/null 2>"$work/hyperfine.log"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

search_row() { # $1: query, $2: label
	jq -r --arg q "search $1" --arg l "$2" '.results[] | select(.command | endswith($q)) |
		"| \($l) | 300 ms | \(.mean * 1000 | round) ms ± \(.stddev * 1000 | round) | \((.user + .system) * 1000 | round) ms (\(.user * 1000 | round) user + \(.system * 1000 | round) sys) |"' "$work/search.json"
}

echo "recipes: $(find "$dir" -name '*.recipe' | wc -l) generated files in $dir; $(nproc) CPUs"
echo "load average: $load_before before, $load_after after"
echo
echo "| figure | goal | wall | CPU (user+sys) |"
echo "|---|---|---|---|"
echo "| (a) LoadDir, 5,000 recipes (median of $count) | 300 ms | $(ms "$(median ns/op <"$work/loaddir.txt")") | $(cpums "$(median cpu-ms/op <"$work/loaddir.txt")") |"
echo "| (b) Resolve, 5,000 nodes (median of $count) | 50 ms | $(ms "$(median ns/op <"$work/resolve.txt")") | $(cpums "$(median cpu-ms/op <"$work/resolve.txt")") |"
search_row synthetic "(c) \`recipe search synthetic\` (all files match)"
search_row curl "(c) \`recipe search curl\` (1,244 files decoded)"
