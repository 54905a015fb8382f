#!/usr/bin/env bash
# Installs the Debian packages in .ci/packages.txt that are missing, and the
# pinned Go tools. Idempotent and quick when everything is there, so every
# top-level make target can depend on it. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t want < <(grep -v -e '^#' -e '^$' .ci/packages.txt)
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: need root to install Debian packages: sudo make deps" >&2
		exit 1
	fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
go mod download
gobin="$(go env GOPATH)/bin"
if ! "$gobin/staticcheck" -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
	echo "deps: installing staticcheck $STATICCHECK_VERSION" >&2
	go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi
