#!/usr/bin/env bash
# Runs every fuzz target in the module for a short time each (FUZZTIME,
# default 10s). CI uses it to keep the fuzzers compiling and to catch shallow
# crashes; run longer by hand: FUZZTIME=10m scripts/fuzz.sh.
#
# Go's fuzzing engine sometimes ends a run on an overloaded machine with
# "context deadline exceeded" and no failing input (its workers miss the
# coordinator's deadline; golang/go#56238). Such a run, and only such a
# run, is tried again once. A real finding writes its input under
# testdata/fuzz/ and fails.
set -euo pipefail
fuzztime="${FUZZTIME:-10s}"
count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		for try in 1 2; do
			echo "fuzz: $pkg $target ($fuzztime, try $try)"
			if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
				tail -n 1 "$log"
				break
			fi
			cat "$log"
			if [ "$try" = 1 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written to' "$log"; then
				echo "fuzz: engine timed out without a finding; trying once more"
				continue
			fi
			exit 1
		done
		count=$((count + 1))
	done
done
echo "fuzz: $count targets ran"
[ "$count" -gt 0 ]
