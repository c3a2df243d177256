"""Command line of the Python baseline service:

    python -m benchmarks.python_service -b 127.0.0.1:9092 [--create-topics --partitions 4] [--set k=v ...]

Runs until SIGTERM or Ctrl-C, then classifies what is buffered, commits and exits 0. Exit codes as the Java
service's: 1 for a failure at run time (a result that cannot be delivered, a fatal Kafka error), 2 for bad usage
or configuration (a bad option, a missing topic, a model file that cannot be used).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from confluent_kafka import KafkaException

from .model import BUNDLED_MODEL, Classifier, ModelError
from .service import DeliveryFailed, MissingTopics, Service, Settings, TopicsNotReady, ensure_topics
from .wire import sentiment_events, text_events

LOG = logging.getLogger("python_service")
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _int_in(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high] (argparse names the option in its message)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{value}' is not an integer") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is outside [{low}, {high}]")
        return number

    return parse


def _setting(value: str) -> tuple[str, str]:
    key, sep, setting = value.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"'{value}' is not key=value")
    return key.strip(), setting


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.python_service",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-b", "--bootstrap-servers", required=True, help="Kafka brokers, host:port[,host:port...]")
    p.add_argument("--input-topic", default="text-events")
    p.add_argument("--output-topic", default="sentiment-events")
    p.add_argument("--dead-letter-topic", default="text-events-dlq")
    p.add_argument("--group-id", default="sentiment-stream-python", help="consumer group (default: %(default)s)")
    p.add_argument(
        "--batch-max-records",
        type=_int_in(1, 4096),
        default=32,
        help="most records per model call (default: %(default)s, as the Java service)",
    )
    p.add_argument(
        "--batch-linger-ms",
        type=_int_in(1, 60_000),
        default=20,
        help="longest wait of a buffered record for its batch to fill (default: %(default)s)",
    )
    p.add_argument(
        "--commit-interval-ms",
        type=_int_in(1, 86_400_000),
        default=1_000,
        help="how often the results are flushed and the input offsets committed (default: %(default)s, "
        "the Java service's at-least-once default)",
    )
    p.add_argument(
        "--text-max-bytes",
        type=_int_in(1, 1_048_576),
        default=4096,
        help="longest text in UTF-8 bytes; longer ones are dead letters (default: %(default)s)",
    )
    p.add_argument("--model", type=Path, default=BUNDLED_MODEL, help="ONNX model file (default: the bundled one)")
    p.add_argument(
        "--model-threads", type=_int_in(0, 1024), default=1, help="onnxruntime intra-op threads (default: %(default)s)"
    )
    p.add_argument(
        "--set",
        type=_setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a librdkafka setting for both clients, or for one with a consumer./producer./admin. prefix",
    )
    p.add_argument("--create-topics", action="store_true", help="create the three topics if they are missing")
    p.add_argument(
        "--partitions",
        type=_int_in(1, 100_000),
        default=1,
        help="partitions of the topics --create-topics creates (default: %(default)s)",
    )
    p.add_argument("--replication-factor", type=_int_in(1, 32_767), default=1)
    p.add_argument(
        "--hold-until-file",
        type=Path,
        metavar="PATH",
        help="consume nothing until PATH exists (for benchmarks: start every process of a group first)",
    )
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)-5s [%(process)d] %(name)s: %(message)s",
    )
    settings = Settings(
        bootstrap_servers=args.bootstrap_servers,
        input_topic=args.input_topic,
        output_topic=args.output_topic,
        dead_letter_topic=args.dead_letter_topic,
        group_id=args.group_id,
        batch_max_records=args.batch_max_records,
        batch_linger_ms=args.batch_linger_ms,
        commit_interval_ms=args.commit_interval_ms,
        text_max_bytes=args.text_max_bytes,
        model_path=args.model,
        model_threads=args.model_threads,
        client_settings=dict(args.set),
        hold_until_file=args.hold_until_file,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        LOG.info("Signal %d: stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        classifier = Classifier(settings.model_path, settings.model_threads)
    except ModelError as e:
        LOG.error("%s", e)
        return EXIT_USAGE
    LOG.info(
        "Loaded model %s %s from %s: labels %s, vocabulary %d tokens, max length %d, intra-op threads %d",
        classifier.name,
        classifier.version,
        settings.model_path,
        list(classifier.labels),
        len(classifier.vocabulary),
        classifier.max_length,
        settings.model_threads,
    )
    try:
        service = Service(settings, classifier, text_events(), sentiment_events())
    except KafkaException as e:  # librdkafka refuses a bad setting when the client is created
        LOG.error("Kafka client configuration: %s", e)
        return EXIT_USAGE
    try:
        ensure_topics(settings, args.create_topics, args.partitions, args.replication_factor)
    except MissingTopics as e:
        LOG.error("%s", e)
        return EXIT_USAGE
    except (KafkaException, TopicsNotReady) as e:  # the broker unreachable, say: a restart may cure it
        LOG.error("Topics: %s", e)
        return EXIT_FAILURE
    try:
        service.run(stop)
    except (DeliveryFailed, KafkaException, ModelError) as e:
        LOG.error("%s", e)
        LOG.debug("Cause", exc_info=True)
        return EXIT_FAILURE
    return 0
