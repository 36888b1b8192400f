# Two entry points: `make run` (the main job) and `make test` (every test). Both install the
# Debian packages they need first, so they work on a fresh machine as root.

# The toolchain's usual place, for shells that did not source /etc/profile.d/swift.sh.
export PATH := $(PATH):/opt/swift/usr/bin

APT_PACKAGES := libsqlite3-dev postgresql-15 postgresql-15-postgis-3 libproj-dev proj-bin pkg-config python3-gdal gdal-bin zlib1g-dev libfreetype-dev chromium chromium-driver python3-selenium fonts-noto-cjk libjs-leaflet python3-pil python3-lxml
DATABASE ?= suginami.sqlite

.PHONY: run test deps lint benchmark docs fuzz load load-postgres durability

deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@# The reference the mesh-code tests compare with (PyPI).
	@python3 -c "import jismesh" 2>/dev/null || python3 -m pip install --quiet --root-user-action=ignore jismesh==2.1.0 \
		|| echo "WARNING: jismesh could not be installed; the mesh cross-check test will be skipped"

# The main job: load the bundled ward data, simulate 都心南部直下 M7.3 (geometry assumed) with
# fire and the example mitigation scenario (run in quake-out/, maps and report in quake-report/),
# then serve all of it with `refd serve` and print the URL to open. Each step is skipped when its
# result is already there (remove suginami.sqlite, quake-out/ and quake-report/ to start again).
# The bundled stock is the ward's real footprints with assumed attributes (防火性能 included,
# by a stated rule), so the run needs no fire-class assumption of its own.
run: deps
	swift build -c release --product refd
	test -f $(DATABASE) || .build/release/refd load --database $(DATABASE)
	test -f quake-out/inputs/run.json -a -f quake-report/report.en.html || \
		.build/release/refd simulate --database $(DATABASE) --scenario toshin-nanbu-chokka-m7.3 --events 1000 \
		--fire --mitigation Examples/Mitigation/promotion-1.json --report quake-report --out quake-out
	test -f suginami.sgknet || .build/release/refd route --save-network suginami.sgknet
	.build/release/refd serve --database $(DATABASE) --network suginami.sgknet \
		--simulation quake-out --report quake-report

lint:
	swift format lint --strict --recursive Package.swift Sources Tests Benchmarks Examples

# Every test, then real GIS clients (GDAL, owslib) against `refd serve`, then every fuzz target
# for a short fixed budget (libFuzzer; crashes fail the run): FUZZ_TEST_RUNS inputs per kind
# from a fixed seed, so that a commit passes or fails every time.
test: deps lint
	swift build --build-tests
	@# The suite runs on both store back ends: SQLite files, and a throw-away PostgreSQL +
	@# PostGIS cluster on a free loopback port, started for the run and removed after it.
	Tools/postgres/throwaway-cluster.sh run -- swift test
	Tests/Clients/check-server.sh
	Tests/Clients/isms-ci-formats.sh
	Fuzz/run.sh --runs $(FUZZ_TEST_RUNS) --seed 1

FUZZ_TEST_RUNS ?= 2000
FUZZ_RUNS ?= 1000000

# The long run: every fuzz target for FUZZ_RUNS executions, one after another (several hours).
fuzz: deps
	Fuzz/run.sh --runs $(FUZZ_RUNS)

# The ISMS fixtures (10,000 assets, 100,000 flows) are made first by `refd isms synthetic`, so
# that the end-to-end check is measured in a process that did not just make them.
ISMS_FIXTURES := $(or $(TMPDIR),/tmp)/suginami-isms-fixtures
benchmark: deps
	swift build -c release --product refd
	@mkdir -p $(ISMS_FIXTURES); for format in json yaml; do \
		test -f $(ISMS_FIXTURES)/$$format/inventory.$$format || \
		.build/release/refd isms synthetic --format $$format --out $(ISMS_FIXTURES)/$$format; \
	done
	swift package benchmark --target EngineBenchmarks --no-progress
	swift package benchmark --target SuginamiBenchmarks --no-progress
# The operations load run (release build): 65 relief centres updating every 3 s and 200 public
# damage reports a second for 60 s on 127.0.0.1, with a live stream open; fails on any error
# or an acknowledgement p99 of 50 ms or more.
load: deps
	swift build -c release --product refd
	python3 Tests/Clients/operations-load.py --refd .build/release/refd --seconds 60
# The same load on 2 daemons sharing one PostgreSQL database (a throw-away cluster on loopback),
# then again with the first daemon SIGKILLed 30 s in: 0 errors, p99 < 50 ms, 0 acknowledged
# changes lost.
load-postgres: deps
	swift build -c release --product refd
	Tools/postgres/throwaway-cluster.sh run -- sh -c '\
		python3 Tests/Clients/operations-load.py --refd .build/release/refd --seconds 60 \
			--postgres "$$SUGINAMI_TEST_POSTGRES" --instances 2 && \
		python3 Tests/Clients/operations-load.py --refd .build/release/refd --seconds 60 \
			--postgres "$$SUGINAMI_TEST_POSTGRES" --instances 2 --kill-one-at 30'

# More SIGKILL trials than `make test` runs (KILL_TRIALS, 100 there), on an SQLite file and on a
# throw-away PostgreSQL cluster: acknowledged changes must all be there after every restart.
DURABILITY_TRIALS ?= 1000
durability: deps
	swift build -c release --product refd
	python3 Tests/Clients/kill-restart.py --refd .build/release/refd --trials $(DURABILITY_TRIALS)
	Tools/postgres/throwaway-cluster.sh run -- sh -c 'python3 Tests/Clients/kill-restart.py \
		--refd .build/release/refd --trials $(DURABILITY_TRIALS) --postgres "$$SUGINAMI_TEST_POSTGRES"'

docs:
	swift package generate-documentation --target SuginamiCore --target SuginamiKit --target SuginamiGIS --target SuginamiSecurity
