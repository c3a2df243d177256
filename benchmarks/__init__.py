"""Benchmarks of sentiment-stream: JMH and ONNX Runtime comparisons (run.sh), end to end (e2e.sh), and the
Python baseline service (python_service) that e2e.sh runs beside the Java service."""
