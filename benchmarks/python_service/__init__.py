"""The Python baseline: the service a Python user would write instead of sentiment-stream.

A confluent-kafka consumer and producer, at-least-once (results delivered before their input offsets are
committed), the input's Avro single-object encoding with fastavro, the project's own Python tokenizer
(training/tokenizer.py) with the vocabulary the model file carries, batches of 32 records or 20 ms, the bundled
ONNX model through onnxruntime on one intra-op thread, softmax, and the output's single-object Avro
SentimentEvent with the input's key: the same bytes the Java service writes for the same input, except
``classified_at``. Bad records go to the dead-letter topic with the Java service's reason codes and headers.

What it does not do that the Java service does (it is a baseline for docs/PERFORMANCE.md, not a product):
no exactly-once; the batch buffer is in memory (safe for at-least-once because offsets are committed only after
the results are delivered, but a crash replays up to a commit interval of records); one buffer per process, not
per partition; one thread per process (scale with processes in one group); decoding trusts fastavro instead of
checking every declared length against the bytes present; only the Avro wire format (no JSON input or output,
no ``output.include.text``); a model failure stops the process; no configuration file or environment variables;
no model contract check beyond the metadata it uses.

    python -m benchmarks.python_service --help
"""
