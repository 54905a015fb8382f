# LevitateOS tooling. `make help` lists the targets.
GO        ?= go
BIN       := bin
GOPATHBIN := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
export LEVITATE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/levitate

.PHONY: help deps build test lint fuzz bench fixture demo iso test-boot test-install check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

deps: ## install the missing Debian packages and Go tools (root; quick when present)
	STATICCHECK_VERSION=$(STATICCHECK_VERSION) scripts/deps.sh

build: ## build the commands into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/ ./cmd/...

test: ## fast tests (unit, golden, real tools that take seconds), race detector, -short
	$(GO) test -race -short -count=1 ./...

lint: deps ## gofmt, go vet, staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GOPATHBIN)/staticcheck ./...

fuzz: ## run every fuzz target briefly (FUZZTIME=10s)
	scripts/fuzz.sh

bench: ## Go benchmarks (figures go to docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem ./...

fixture: deps ## build (or reuse) the Rocky-shaped test vendor ISO; prints its path last
	$(GO) run ./cmd/mkvendoriso

demo: deps ## the main job: a live ISO built offline from the test package set; prints its path last
	out=$$($(GO) run ./cmd/mkvendoriso) && iso=$$(printf '%s\n' "$$out" | tail -n 1) && \
	$(GO) run ./cmd/levitateiso build profiles/levitate --source "$$iso" \
		--no-verify-signatures --compression zstd:3 -o out/levitateos.iso

# make iso: Rocky Linux 10 itself (docs/rocky.md). The minimal ISO and the
# release key go in vendor/images/; BaseOS and AppStream come from a mirror.
ROCKY_ISO    ?= $(lastword $(sort $(wildcard vendor/images/Rocky-10*.iso)))
ROCKY_KEY    ?= vendor/images/RPM-GPG-KEY-Rocky-10
ROCKY_MIRROR ?= https://dl.rockylinux.org/pub/rocky/10
ROCKY_REPOS  ?= $(ROCKY_MIRROR)/BaseOS/x86_64/os/ $(ROCKY_MIRROR)/AppStream/x86_64/os/

iso: deps ## a live ISO from Rocky 10's minimal ISO in vendor/images/ plus BaseOS and AppStream; prints its path last
	@if [ -z "$(ROCKY_ISO)" ]; then echo "make iso: no vendor/images/Rocky-10*.iso: download Rocky 10's minimal ISO there (docs/rocky.md, step 1)" >&2; exit 2; fi
	@if [ ! -f "$(ROCKY_KEY)" ]; then echo "make iso: no $(ROCKY_KEY): get Rocky's release key (docs/rocky.md, step 2)" >&2; exit 2; fi
	$(GO) run ./cmd/levitateiso build profiles/levitate -o out/levitateos-rocky.iso --key "$(ROCKY_KEY)" \
		--source "$(ROCKY_ISO) key=$(ROCKY_KEY)" $(foreach r,$(ROCKY_REPOS),--source "$(r) key=$(ROCKY_KEY)")

test-boot: deps ## slow tests: real boots in QEMU and the full test vendor ISO
	out=$$($(GO) run ./cmd/mkvendoriso) && iso=$$(printf '%s\n' "$$out" | tail -n 1) && \
	LEVITATE_VENDOR_ISO=$$iso LEVITATE_BOOT_TESTS=1 LEVITATE_SLOW_TESTS=1 \
		$(GO) test -count=1 -p 1 -timeout 80m ./...

# The live ISO of make demo, installed by docs/install.md in QEMU (OVMF, an
# empty virtio disk), then the installed disk booted alone and checked.
test-install: demo ## slow: install from the live ISO by the guide in QEMU, boot the result, check it
	LEVITATE_LIVE_ISO=$(CURDIR)/out/levitateos.iso $(GO) test -count=1 -v -timeout 100m -run '^TestInstall$$' ./internal/e2e/

check: deps lint test fuzz test-boot test-install ## everything CI runs (the README's test command)
