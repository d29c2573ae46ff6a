# Rapport — one Makefile.  `make help` lists the targets.
#
#   make deps    install the Debian and npm packages that building, testing and the demo need
#   make         build build/rapport (everything but main() is in build/librapport.a)
#                and the web application into build/web (npm, esbuild)
#   make test    deps + build + every test (unit, black-box, browser, each benchmark at a tiny size,
#                a round of fault injection, each fuzzing harness for 30 s)
#   make asan    the whole test suite under AddressSanitizer and UBSan (in build-asan/)
#   make demo    deps + build + the main job on the embedded SQLite store
#   make bench   the benchmarks in bench/ at full size (not part of the tests)
#   make soak    rapport serve under a mixed load for SOAK_SECONDS (600): memory flat, no errors
#                (bench/soak.sh; not part of the tests, which run it for 15 s)
#   make fuzz    every libFuzzer harness in fuzz/ for FUZZ_SECONDS each (default 600; in build-fuzz/);
#                make fuzz-ci: 30 s each, as CI runs them (docs/testing.md)
#   make faults  fault injection at length: allocations failing in turn, a full disk, kill -9
#                (tests/faults/, docs/testing.md; make test runs a shorter round)

SHELL     := /bin/bash
CC        ?= cc
BUILD     ?= build
OPT       ?= -O2
SAN       ?=
PKGS      := sqlite3 jansson libsodium inih icu-i18n icu-uc gsl libmicrohttpd gnutls liboath libcrypto xlsxwriter libcurl \
             libpq
DEB_PKGS  := gcc make pkg-config libsqlite3-dev sqlite3 libjansson-dev libsodium-dev \
             libinih-dev libcmocka-dev libicu-dev libgsl-dev libmicrohttpd-dev libgnutls28-dev liboath-dev \
             libxlsxwriter-dev libcurl4-gnutls-dev python3-aiosmtpd python3-openpyxl libglpk-dev kannel \
             kamailio kamailio-extra-modules kamailio-utils-modules sip-tester \
             libpq-dev postgresql postgresql-contrib python3-psycopg2 \
             libssl-dev openssl curl bc time \
             chromium fonts-noto-cjk python3-pandas python3-sklearn nginx-light wrk clang libclang-rt-dev llvm
CFLAGS    := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wvla -g $(OPT) $(SAN) \
             -Isrc -I$(BUILD)/gen $(EXTRA_CFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lglpk -lm -lpthread
LDFLAGS   := $(SAN)

LIB_SRC   := $(wildcard src/core/*.c src/store/*.c src/warehouse/*.c src/gen/*.c src/etl/*.c src/match/*.c src/analytics/*.c src/security/*.c src/models/*.c src/marketing/*.c src/contact/*.c src/api/*.c) $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/sqlite_migrations.o $(BUILD)/gen/pg_migrations.o \
             $(BUILD)/gen/specs.o \
             $(BUILD)/gen/passwords.o
MIGRATIONS:= $(sort $(wildcard src/store/sql/sqlite/*.sql))
PG_MIGRATIONS := $(sort $(wildcard src/store/sql/postgresql/*.sql))
SPECS     := $(sort $(wildcard specs/*.json))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

WEB_SRC   := $(wildcard web/src/*.js web/src/*.jsx web/src/*.css web/src/pages/*.jsx) web/index.html web/build.mjs

.PHONY: all deps test test-only unit test-postgres asan demo demo-only bench bench-only soak soak-only clean help fuzz fuzz-ci fuzz-build \
        fuzz-bins faults faults-build
all: $(BUILD)/rapport $(BUILD)/web/index.html

help:
	@sed -n '2,16p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
	@$(MAKE) --no-print-directory web/node_modules/.package-lock.json bench/node/node_modules/.package-lock.json

# The web application's packages, from the npm registry, exactly as the lock file says.
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# DuckDB, which bench/analyze.sh sets beside Rapport (and make test, at a tiny size).
bench/node/node_modules/.package-lock.json: bench/node/package.json bench/node/package-lock.json
	cd bench/node && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(BUILD)/web/index.html: $(WEB_SRC) web/node_modules/.package-lock.json
	node web/build.mjs $(BUILD)/web

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

# The learners' inner loops (a rank-one update, a histogram) want gcc's whole vectoriser cost model:
# -O2 alone tries only the very cheap one.  Elementwise loops only, so the sums are the same.
$(BUILD)/src/models/%.o: CFLAGS += $(if $(findstring clang,$(CC)),,-fvect-cost-model=dynamic)

$(BUILD)/gen/sqlite_migrations.c: $(MIGRATIONS) src/store/sql/sqlite tools/embed_sql.sh
	@mkdir -p $(dir $@)
	tools/embed_sql.sh rp_sqlite_migrations $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/sqlite_migrations.o: $(BUILD)/gen/sqlite_migrations.c
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/gen/pg_migrations.c: $(PG_MIGRATIONS) src/store/sql/postgresql tools/embed_sql.sh
	@mkdir -p $(dir $@)
	tools/embed_sql.sh rp_pg_migrations $(PG_MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/pg_migrations.o: $(BUILD)/gen/pg_migrations.c
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-overlength-strings -c $< -o $@

# The source specs that ship with Rapport, compiled in (rapport load --source NAME).
$(BUILD)/gen/specs.c: $(SPECS) tools/embed_files.sh
	@mkdir -p $(dir $@)
	tools/embed_files.sh sp_builtins $(SPECS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/specs.o: $(BUILD)/gen/specs.c
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-overlength-strings -c $< -o $@

# The common passwords a new password may not be (security.h), compiled in.
$(BUILD)/gen/passwords.c: src/security/common_passwords.txt tools/embed_files.sh
	@mkdir -p $(dir $@)
	tools/embed_files.sh --struct sec_embedded sec_password_lists $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/passwords.o: $(BUILD)/gen/passwords.c
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/librapport.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/rapport: $(BUILD)/src/cli/main.o $(BUILD)/librapport.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librapport.a tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(BUILD)/librapport.a \
	  $(LDFLAGS) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: bench/%.c $(BUILD)/librapport.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/librapport.a $(LDFLAGS) $(PKG_LIBS)

# The README's test command: installs, builds, runs every test.
test: deps
	@$(MAKE) --no-print-directory test-only

test-only: $(BUILD)/rapport $(BUILD)/web/index.html $(UNIT_BIN) $(BENCH_BIN) $(BUILD)/faults/failmalloc.so
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/run-all.sh $(BUILD)

unit: $(BUILD)/rapport $(UNIT_BIN)
	@tests/run-all.sh $(BUILD) unit

# The black-box suite on a PostgreSQL store (issue 26; not yet in make test, docs/testing.md): a
# throwaway cluster, a database for each case (tests/cli/run.sh, RAPPORT_TEST_STORE=postgresql)
test-postgres: deps $(BUILD)/rapport $(UNIT_BIN)
	@tests/run-all.sh $(BUILD) unit-postgresql && tests/run-all.sh $(BUILD) cli-postgresql

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test-only

DEMO_DB ?= demo/rapport.db
# make demo DB=postgres: the same on a PostgreSQL cluster the demo starts (tools/demo.sh)
DB ?= sqlite
demo: deps
	@$(MAKE) --no-print-directory demo-only

demo-only: $(BUILD)/rapport $(BUILD)/web/index.html
	@DEMO_STORE=$(DB) tools/demo.sh $(BUILD)/rapport $(DEMO_DB)

# what the benchmarks set beside Rapport (pandas, DuckDB, nginx, wrk) comes with make deps
bench: deps
	@$(MAKE) --no-print-directory bench-only

bench-only: $(BUILD)/rapport $(BUILD)/web/index.html $(BENCH_BIN)
	@for b in $(filter-out $(BUILD)/bench/score,$(BENCH_BIN)); do $$b || exit 1; done
	@for b in $(filter-out bench/soak.sh,$(wildcard bench/*.sh)); do $$b $(BUILD) || exit 1; done

# the soak (wrk comes with make deps): SOAK_SECONDS=90 make soak to try it
soak: deps
	@$(MAKE) --no-print-directory soak-only

soak-only: $(BUILD)/rapport
	@bench/soak.sh $(BUILD)

# ---- fuzzing (fuzz/, docs/testing.md) ----
# The library built again with clang for libFuzzer, AddressSanitizer and UBSan into build-fuzz/, and one
# program a harness, fuzz/fuzz_NAME.c -> build-fuzz/fuzz/fuzz_NAME.  The API's harnesses replace the
# server's transport (the query string, the audit journal, the kept-360 queue) at link time (api_common.c).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_BIN     := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_WRAP    := -Wl,--wrap=api_query,--wrap=api_audit,--wrap=api_audit_flush,--wrap=api_doc_wanted,--wrap=api_count_doc

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ_BUILD)

fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 SAN="$(FUZZ_SAN)" fuzz-bins

fuzz-bins: $(FUZZ_BIN)

.PRECIOUS: $(BUILD)/fuzz/%.o

$(BUILD)/fuzz/%.o: fuzz/%.c fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -DFZ_TREE='"$(CURDIR)"' -MMD -MP -c $< -o $@

$(BUILD)/fuzz/fuzz_api_%: $(BUILD)/fuzz/fuzz_api_%.o $(BUILD)/fuzz/api_common.o $(BUILD)/fuzz/common.o $(BUILD)/librapport.a
	$(CC) -fsanitize=fuzzer $(LDFLAGS) $(FUZZ_WRAP) -o $@ $^ $(PKG_LIBS)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/common.o $(BUILD)/librapport.a
	$(CC) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# ---- fault injection (tests/faults/, docs/testing.md) ----
# The allocation-failure library preloaded into rapport: built without the sanitizers (it replaces
# malloc, which AddressSanitizer does too), so the alloc-* workloads skip a sanitized build.
$(BUILD)/faults/failmalloc.so: tests/faults/failmalloc.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O2 -shared -fPIC -o $@ $< -ldl

faults-build: $(BUILD)/rapport $(BUILD)/faults/failmalloc.so

# At length: every distinct call stack of 16 frames of the load failing in turn, every allocation of
# every request, a full disk of both kinds, kill -9 20 times each (about an hour on two cores).
faults: faults-build
	@FAULTS_DEPTH=16 FAULTS_SERVE_EVERY=1 FAULTS_DISK_BOTH=1 tests/faults/run.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz demo

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
