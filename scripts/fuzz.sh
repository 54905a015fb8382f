#!/usr/bin/env bash
# Runs every fuzz target in the module for a short time each (FUZZTIME,
# default 10s). CI uses it to keep the fuzzers compiling and to catch shallow
# crashes; run longer by hand: FUZZTIME=10m scripts/fuzz.sh.
set -euo pipefail
fuzztime="${FUZZTIME:-10s}"
count=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz: $pkg $target ($fuzztime)"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
		count=$((count + 1))
	done
done
echo "fuzz: $count targets ran"
[ "$count" -gt 0 ]
