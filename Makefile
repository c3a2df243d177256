# sentiment-stream: the commands the README gives.
#   make demo    build the jar and run the demo (local broker, service, sample texts)
#   make test    every test: Python training tests, Java unit tests, Java integration tests (real KRaft broker)
#   make jar     build target/sentiment-stream.jar without running tests
#   make bench   model-side benchmarks (JMH + ONNX Runtime Python + MatMul floor); not part of the tests

PYTHON ?= python3
VENV   := .venv
MVN    ?= mvn -B

.PHONY: demo test test-python test-java jar bench clean

jar: target/sentiment-stream.jar

target/sentiment-stream.jar: pom.xml $(shell find src schemas -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

demo: jar
	java -jar target/sentiment-stream.jar demo

$(VENV)/.installed: training/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r training/requirements.txt
	touch $@

test-python: $(VENV)/.installed
	$(VENV)/bin/python -m pytest training -q

test-java:
	$(MVN) verify

test: test-python test-java

bench: $(VENV)/.installed
	PYTHON=$(VENV)/bin/python benchmarks/run.sh

clean:
	rm -rf target $(VENV)
