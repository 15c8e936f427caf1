# Gatehouse: set-up, build and tests on a fresh Debian machine.
#   make test   sets up everything and runs the whole test suite (what CI runs)
#   make demo   sets up everything and runs the demo
SHELL := /bin/bash
APT_PACKAGES := libsodium-dev libcurl4-openssl-dev libedit-dev pkg-config python3-venv tmux time
VENV := .venv
PYTHON ?= python3

.PHONY: setup apt venv build test demo bench bench-fleet fuzz differential sanitize install clean lint format

setup: apt venv build

# System libraries the C shims use (libcurl's headers; the library itself is loaded on first HTTP use), tmux
# (the REPL tests drive a real terminal) and GNU time (the benchmarks' CPU and memory figures); installed only
# when missing.
apt:
	@if pkg-config --exists libsodium libcurl libedit 2>/dev/null && command -v tmux >/dev/null && [ -x /usr/bin/time ]; then \
	  echo "system libraries present"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

# Python peers for integration tests (an independent JOSE implementation, test HTTP servers).
venv: $(VENV)/.installed $(VENV)-legacy/.installed

$(VENV)/.installed: Tests/Scripts/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/Scripts/requirements.txt
	touch $@

# mcp 1.x cannot share a venv with mcp 2.x.
$(VENV)-legacy/.installed: Tests/Scripts/requirements-legacy.txt
	$(PYTHON) -m venv $(VENV)-legacy
	$(VENV)-legacy/bin/pip install --quiet --disable-pip-version-check -r Tests/Scripts/requirements-legacy.txt
	touch $@

build:
	swift build

# The tests also drive `gatehouse proxy` from mcp-cli, a real third-party MCP host (its venv, below).
test: setup $(VENV)-bench/.installed
	swift test

demo: setup
	bash Profiles/demo.sh

# A release binary with the Swift runtime linked in, where another host's configuration can point at it
# (`gatehouse wrap`): it keeps working after this checkout moves or is cleaned.
PREFIX ?= $(HOME)/.local
install: apt
	swift build -c release --static-swift-stdlib --product gatehouse
	install -d $(PREFIX)/bin
	install -m 0755 "$$(swift build -c release --static-swift-stdlib --show-bin-path)/gatehouse" $(PREFIX)/bin/gatehouse
	@echo "installed $(PREFIX)/bin/gatehouse"

# The benchmarks of docs/performance.md (regenerated): release build, peers side by side. mcp-cli, one of
# the peers and a host the proxy tests use, has its own venv (about 600 MB, 4 minutes to install), made for
# `make test` and `make bench`, not for the demo.
bench: apt venv $(VENV)-bench/.installed
	bash bench/run.sh

$(VENV)-bench/.installed: bench/requirements.txt
	$(PYTHON) -m venv $(VENV)-bench
	$(VENV)-bench/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

# Issue 5's fleet figure: 50 stdio servers with a 0.5 s handshake each (docs/performance.md).
bench-fleet: apt venv
	bash bench/fleet-audit.sh 50 0.5

# Hardening (docs/robustness.md). fuzz: every libFuzzer target for FUZZ_SECONDS (default 120) each.
fuzz: apt
	bash Tests/Fuzz/run.sh

# The trust core against PyJWT over 12 000 mutated tokens (also part of `make test`).
differential: setup
	$(VENV)/bin/python Tests/Fuzz/differential.py .build/debug/gatehouse-fuzz 12000

# The whole test suite under AddressSanitizer, then ThreadSanitizer (own build folders).
sanitize: apt venv
	bash Tests/Fuzz/sanitize.sh

# Style (.swift-format: 4 spaces, 120 columns, no force unwrap or try!, and a /// on every public declaration
# of the library modules; the executables are linted without that last rule). `make lint` prints the findings
# and their count and fails only with GATEHOUSE_LINT=strict; .ci/run calls it before the tests.
# `make format FILES="Sources/X/A.swift …"` rewrites the files given (default: every Swift file in Sources).
EXECUTABLES := Sources/gatehouse Sources/gatehouse-fuzz Sources/gatehouse-bench
LIBRARIES := $(filter-out $(EXECUTABLES),$(wildcard Sources/*))
FILES ?= $(LIBRARIES) $(EXECUTABLES)

lint:
	@config=$$(mktemp); trap 'rm -f "$$config"' EXIT; \
	sed 's/"AllPublicDeclarationsHaveDocumentation": true/"AllPublicDeclarationsHaveDocumentation": false/' .swift-format > "$$config"; \
	findings=$$( { swift format lint --recursive --parallel --configuration .swift-format $(LIBRARIES); \
	  swift format lint --recursive --parallel --configuration "$$config" $(EXECUTABLES); } 2>&1 | grep -E ': (warning|error):' ); \
	[ -z "$$findings" ] || echo "$$findings"; \
	count=$$(printf '%s' "$$findings" | grep -c . || true); \
	echo "swift format lint: $$count finding(s)"; \
	if [ "$${GATEHOUSE_LINT:-}" = strict ] && [ "$$count" -gt 0 ]; then exit 1; fi

format:
	swift format format --in-place --recursive --parallel --configuration .swift-format $(FILES)

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan $(VENV) $(VENV)-legacy $(VENV)-bench
