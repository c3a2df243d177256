# sentiment-stream: the commands the README and docs/CONTRIBUTING.md give.
#   make demo       build the jars and run the demo (local broker, service, sample texts)
#   make test       every test: Python training tests, the Python baseline's tests, Java unit tests, Java
#                   integration tests (real KRaft broker; the container image with podman), and the checks of
#                   deploy/ (manifests, compose run)
#   make test-unit  the fast loop: Java unit tests and the Python tests that need no corpus (no broker, no packaging)
#   make test-baseline  the Python baseline's tests (benchmarks/python_service; no Kafka; own venv benchmarks/.venv)
#   make lint-python  ruff and mypy on training/ (settings in pyproject.toml; pinned in training/requirements-dev.txt)
#   make jar        build target/sentiment-stream.jar (the service) and target/sentiment-stream-devtools.jar
#   make image      build the container images (service, and devtools for compose's broker) with $(DOCKER)
#   make test-slow  the long fault runs (JUnit tag "slow": long outages, cluster broker faults, rolling restarts, scaling, soak; docs/RELIABILITY.md), not in make test
#   make test-deploy  validate the Kubernetes manifests offline and run the compose file (deploy/ci/check-deploy.sh)
#   make format     format the Java sources (mvn verify fails on unformatted code)
#   make bench      model-side benchmarks (JMH + ONNX Runtime Python + MatMul floor); not part of the tests

PYTHON ?= python3
VENV   := .venv
BENCH_VENV := benchmarks/.venv
MVN    ?= mvn -B
DOCKER ?= docker
IMAGE  ?= sentiment-stream
# podman keeps the Dockerfile's HEALTHCHECK only in Docker's image format.
DOCKER_BUILD_FLAGS ?= $(if $(findstring podman,$(DOCKER)),--format=docker)

.PHONY: test-slow demo test test-unit test-python test-baseline test-java test-deploy lint-python jar image format bench clean

jar: target/sentiment-stream.jar

target/sentiment-stream.jar: pom.xml $(shell find src/main schemas -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

demo: jar
	java -jar target/sentiment-stream-devtools.jar demo

$(VENV)/.installed: training/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r training/requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed training/requirements-dev.txt
	$(VENV)/bin/pip install --disable-pip-version-check -q -r training/requirements-dev.txt
	touch $@

test-python: $(VENV)/.installed
	$(VENV)/bin/python -m pytest training -q

# The Python baseline (benchmarks/python_service) has its own pinned requirements: no torch, but confluent-kafka
# and fastavro. benchmarks/e2e.sh creates the same venv when it runs the baseline.
$(BENCH_VENV)/.installed: benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --disable-pip-version-check -q -r benchmarks/requirements.txt
	touch $@

test-baseline: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python -m pytest benchmarks -q

lint-python: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check training
	$(VENV)/bin/mypy training

test-java:
	$(MVN) verify

test-slow:
	$(MVN) verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.groups=slow -Dit.excludedGroups=none

test-deploy: jar
	deploy/ci/check-deploy.sh

test: test-python test-baseline test-java test-deploy

test-unit: $(VENV)/.installed test-baseline
	$(MVN) test
	$(VENV)/bin/python -m pytest training -q -m "not corpus"

# Tags IMAGE:VERSION and IMAGE-devtools:VERSION, VERSION being the jar's; labels: version, git revision, source
# (the origin remote without credentials).
image: jar
	@version=$$(java -jar target/sentiment-stream.jar --version | sed -n 's/^sentiment-stream //p'); \
	revision=$$(git rev-parse HEAD 2>/dev/null || echo unknown); \
	source=$$(git config --get remote.origin.url 2>/dev/null | sed 's|//[^@/]*@|//|'); \
	for target in service devtools; do \
	  tag=$(IMAGE)$$([ $$target = service ] || echo -$$target):$$version; \
	  $(DOCKER) build $(DOCKER_BUILD_FLAGS) -f deploy/Dockerfile --target $$target -t $$tag \
	    --build-arg VERSION=$$version --build-arg REVISION=$$revision --build-arg SOURCE=$${source:-unknown} . \
	  && echo "built $$tag" || exit 1; \
	done

format:
	$(MVN) -q spotless:apply

bench: $(VENV)/.installed
	PYTHON=$(VENV)/bin/python benchmarks/run.sh

clean:
	rm -rf target $(VENV) $(BENCH_VENV)
