# sentiment-stream: the commands the README gives.
#   make demo       build the jars and run the demo (local broker, service, sample texts)
#   make test       every test: Python training tests, Java unit tests, Java integration tests (real KRaft broker)
#   make test-unit  the fast loop: Java unit tests and the Python tests that need no corpus (no broker, no packaging)
#   make lint-python  ruff and mypy on training/ (settings in pyproject.toml; pinned in training/requirements-dev.txt)
#   make jar        build target/sentiment-stream.jar (the service) and target/sentiment-stream-devtools.jar
#   make format     format the Java sources (mvn verify fails on unformatted code)
#   make bench      model-side benchmarks (JMH + ONNX Runtime Python + MatMul floor); not part of the tests

PYTHON ?= python3
VENV   := .venv
MVN    ?= mvn -B

.PHONY: demo test test-unit test-python test-java lint-python jar format bench clean

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

lint-python: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check training
	$(VENV)/bin/mypy training

test-java:
	$(MVN) verify

test: test-python test-java

test-unit: $(VENV)/.installed
	$(MVN) test
	$(VENV)/bin/python -m pytest training -q -m "not corpus"

format:
	$(MVN) -q spotless:apply

bench: $(VENV)/.installed
	PYTHON=$(VENV)/bin/python benchmarks/run.sh

clean:
	rm -rf target $(VENV)
