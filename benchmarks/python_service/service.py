"""The Kafka side: a confluent-kafka consumer and producer around processing.py, at-least-once.

One loop on one thread (the GIL allows no more; scale with more processes in the same group):

* poll until a record arrives, then keep consuming until the batch holds ``batch_max_records`` records or the
  first of them has waited ``batch_linger_ms`` (one buffer for all the partitions this process owns);
* validate, classify the batch with one model call, produce each result (same key, timestamp and headers as its
  input) or dead letter, and remember the next offset of every input partition;
* every ``commit_interval_ms`` (and when partitions are revoked, and at shutdown): flush the producer, stop if
  any result failed to be delivered, then commit the remembered offsets synchronously.

So a committed offset always has its result delivered; a crash between delivery and commit replays the records
since the last commit (duplicates, never losses). Buffered records are in memory only, but their offsets are
never committed before their results are delivered, so a crash loses nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import (
    TIMESTAMP_NOT_AVAILABLE,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, NewTopic

from . import processing
from .model import BUNDLED_MODEL, Classifier
from .processing import Accepted
from .wire import SingleObjectCodec

LOG = logging.getLogger("python_service")
ClientConfig = dict[str, str | int | float | bool]
_REBALANCE_ERRORS = (KafkaError.REBALANCE_IN_PROGRESS, KafkaError.ILLEGAL_GENERATION, KafkaError.UNKNOWN_MEMBER_ID)


class DeliveryFailed(RuntimeError):
    """A result or dead letter could not be delivered: the service stops without committing its input."""


class MissingTopics(ValueError):
    """Topics the service needs do not exist (and --create-topics was not given)."""


class TopicsNotReady(RuntimeError):
    """Topics still have partitions without a leader after the wait."""


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str
    input_topic: str = "text-events"
    output_topic: str = "sentiment-events"
    dead_letter_topic: str = "text-events-dlq"
    group_id: str = "sentiment-stream-python"
    batch_max_records: int = 32
    batch_linger_ms: int = 20
    commit_interval_ms: int = 1_000
    text_max_bytes: int = processing.DEFAULT_TEXT_MAX_BYTES
    model_path: Path = BUNDLED_MODEL
    model_threads: int = 1
    # Consume nothing until this file exists (partitions stay paused): lets benchmarks/e2e.sh start every process
    # of a group, and wait for the group to settle, before any of them drains the pre-loaded topic.
    hold_until_file: Path | None = None
    # librdkafka settings: "consumer." / "producer." prefixed ones for that client only, others for both.
    client_settings: Mapping[str, str] = field(default_factory=dict)

    def consumer_config(self) -> ClientConfig:
        config: ClientConfig = {
            "bootstrap.servers": self.bootstrap_servers,
            "group.id": self.group_id,
            "enable.auto.commit": "false",
            "enable.auto.offset.store": "false",
            "auto.offset.reset": "earliest",  # as Kafka Streams: a new group reads the topic from its start
        }
        return config | self._client("consumer.")

    def producer_config(self) -> ClientConfig:
        config: ClientConfig = {
            "bootstrap.servers": self.bootstrap_servers,
            "linger.ms": "5",  # the Java service's producer linger
            "acks": "all",
            "enable.idempotence": "true",  # the Java client's default: no duplicates or reordering on retries
            "partitioner": "murmur2_random",  # Java's partitioner: a key lands where the Java service puts it
        }
        return config | self._client("producer.")

    def admin_config(self) -> ClientConfig:
        config: ClientConfig = {"bootstrap.servers": self.bootstrap_servers}
        return config | self._client("admin.")

    def _client(self, prefix: str) -> ClientConfig:
        prefixes = ("consumer.", "producer.", "admin.")
        shared: ClientConfig = {k: v for k, v in self.client_settings.items() if not k.startswith(prefixes)}
        own = {k.removeprefix(prefix): v for k, v in self.client_settings.items() if k.startswith(prefix)}
        return shared | own


@dataclass
class Counters:
    consumed: int = 0
    results: int = 0
    dead_letters: int = 0
    batches: int = 0
    model_seconds: float = 0.0
    commits: int = 0


def ensure_topics(settings: Settings, create: bool, partitions: int, replication: int, timeout_s: float = 60.0) -> None:
    """Creates the three topics (when asked) and waits until each partition has a leader, or names the missing
    ones: an idempotent producer started before the leaders are known can stall."""
    admin = AdminClient(settings.admin_config())
    topics = [settings.input_topic, settings.output_topic, settings.dead_letter_topic]
    if create:
        futures = admin.create_topics([NewTopic(t, partitions, replication) for t in topics], operation_timeout=30)
        for topic, future in futures.items():
            try:
                future.result()
                LOG.info("Created topic %s (%d partitions)", topic, partitions)
            except KafkaException as e:
                if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                    raise
    deadline = time.monotonic() + timeout_s
    while True:
        metadata = admin.list_topics(timeout=10)
        missing = [t for t in topics if t not in metadata.topics or metadata.topics[t].error is not None]
        leaderless = [
            t for t in topics if t not in missing and any(p.leader < 0 for p in metadata.topics[t].partitions.values())
        ]
        if not missing and not leaderless:
            return
        if missing and not create:
            raise MissingTopics(f"missing topics: {', '.join(missing)} (create them, or pass --create-topics)")
        if time.monotonic() > deadline:
            raise TopicsNotReady(f"topics without leaders after {timeout_s:.0f} s: {', '.join(missing + leaderless)}")
        time.sleep(0.1)


def _position(message: Message) -> tuple[str, int, int]:
    topic, partition, offset = message.topic(), message.partition(), message.offset()
    if topic is None or partition is None or offset is None:
        raise ValueError("a consumed record without topic, partition or offset")
    return topic, partition, offset


def _headers(message: Message) -> processing.Headers:
    headers = message.headers()
    if headers is None:
        return []
    return list(headers.items()) if isinstance(headers, dict) else list(headers)


class Service:
    """The consume -> classify -> produce -> commit loop of one process."""

    def __init__(
        self,
        settings: Settings,
        classifier: Classifier,
        input_codec: SingleObjectCodec,
        output_codec: SingleObjectCodec,
        clock_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self._settings = settings
        self._classifier = classifier
        self._input_codec = input_codec
        self._output_codec = output_codec
        self._clock_ms = clock_ms
        self._consumer = Consumer(settings.consumer_config(), logger=LOG)
        self._producer = Producer(settings.producer_config(), logger=LOG)
        self._buffer: list[Message] = []
        self._next_offsets: dict[tuple[str, int], int] = {}  # processed, not yet committed
        self._delivery_error: KafkaError | None = None
        self._failed = False  # once set, nothing more is committed (closing the consumer calls _on_revoke)
        self._holding = settings.hold_until_file is not None
        self.counters = Counters()

    def run(self, stop: threading.Event) -> None:
        """Until stop is set; then classifies what is buffered, commits and closes the clients."""
        settings = self._settings
        linger_s = settings.batch_linger_ms / 1000
        commit_every_s = settings.commit_interval_ms / 1000
        self._consumer.subscribe(
            [settings.input_topic], on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
        )
        LOG.info(
            "Consuming %s as group %s: batch %d records / linger %d ms, commit every %d ms, %d model thread(s)",
            settings.input_topic,
            settings.group_id,
            settings.batch_max_records,
            settings.batch_linger_ms,
            settings.commit_interval_ms,
            settings.model_threads,
        )
        next_commit = time.monotonic() + commit_every_s
        batch_due = 0.0
        try:
            while not stop.is_set():
                if self._holding:
                    self._release_hold()
                if not self._buffer:
                    message = self._consumer.poll(0.1)
                    batch_due = time.monotonic() + linger_s
                    self._accept([message] if message is not None else [])
                else:
                    wait = batch_due - time.monotonic()
                    if wait > 0:
                        self._accept(self._consumer.consume(settings.batch_max_records - len(self._buffer), wait))
                if self._buffer and (len(self._buffer) >= settings.batch_max_records or time.monotonic() >= batch_due):
                    self._process_buffer()
                self._producer.poll(0)
                self._check_delivery()
                if time.monotonic() >= next_commit:
                    self._commit()
                    next_commit = time.monotonic() + commit_every_s
            self._process_buffer()
            self._commit()
        except BaseException:
            self._failed = True
            raise
        finally:
            self._consumer.close()
            remaining = self._producer.flush(30)
            c = self.counters
            LOG.info(
                "Stopped: %d consumed, %d results, %d dead letters, %d batches (mean %.1f), %.1f s in the model, "
                "%d commits, %d messages not delivered at close",
                c.consumed,
                c.results,
                c.dead_letters,
                c.batches,
                (c.consumed / c.batches) if c.batches else 0.0,
                c.model_seconds,
                c.commits,
                remaining,
            )

    def _release_hold(self) -> None:
        hold = self._settings.hold_until_file
        if hold is not None and hold.exists():
            self._holding = False
            self._consumer.resume(self._consumer.assignment())
            LOG.info("%s exists: consuming", hold)

    def _accept(self, messages: list[Message]) -> None:
        for message in messages:
            error = message.error()
            if error is None:
                self._buffer.append(message)
            elif error.code() == KafkaError._PARTITION_EOF:
                continue
            elif error.fatal():
                raise KafkaException(error)
            else:
                LOG.warning("Consumer error on %s-%s: %s", message.topic(), message.partition(), error)

    def _process_buffer(self) -> None:
        batch, self._buffer = self._buffer, []
        if not batch:
            return
        settings = self._settings
        verdicts = [
            processing.validate(m.value(), self._input_codec, self._classifier, settings.text_max_bytes) for m in batch
        ]
        accepted = [v for v in verdicts if isinstance(v, Accepted)]
        started = time.perf_counter()
        predictions = iter(processing.classify(accepted, self._classifier))
        self.counters.model_seconds += time.perf_counter() - started
        classified_at = self._clock_ms()
        for message, verdict in zip(batch, verdicts):
            topic, partition, offset = _position(message)
            timestamp_type, timestamp = message.timestamp()
            # The input's timestamp, as Kafka Streams forwards it; 0 lets the producer stamp the current time.
            timestamp = timestamp if timestamp_type != TIMESTAMP_NOT_AVAILABLE and timestamp > 0 else 0
            headers = _headers(message)
            if isinstance(verdict, Accepted):
                event = processing.result_event(verdict, next(predictions), self._classifier, classified_at)
                self._produce(
                    settings.output_topic, message.key(), self._output_codec.encode(event), headers, timestamp
                )
                self.counters.results += 1
            else:
                LOG.warning(
                    "Dead-lettering record topic=%s partition=%d offset=%d: %s (%s)",
                    topic,
                    partition,
                    offset,
                    verdict.reason,
                    verdict.message,
                )
                headers = processing.dead_letter_headers(headers, verdict, topic, partition, offset)
                self._produce(settings.dead_letter_topic, message.key(), message.value(), headers, timestamp)
                self.counters.dead_letters += 1
            self._next_offsets[(topic, partition)] = offset + 1
        self.counters.consumed += len(batch)
        self.counters.batches += 1

    def _produce(
        self,
        topic: str,
        key: bytes | str | None,
        value: bytes | str | None,
        headers: processing.Headers,
        timestamp: int,
    ) -> None:
        while True:
            try:
                self._producer.produce(
                    topic, value=value, key=key, headers=headers, timestamp=timestamp, on_delivery=self._on_delivery
                )
                return
            except BufferError:  # the producer's queue is full: serve deliveries, then retry
                self._producer.poll(0.05)
                self._check_delivery()

    def _on_delivery(self, error: KafkaError | None, message: Message) -> None:
        if error is not None and self._delivery_error is None:
            self._delivery_error = error
            LOG.error("Could not deliver a record to %s: %s", message.topic(), error)

    def _check_delivery(self) -> None:
        if self._delivery_error is not None:
            raise DeliveryFailed(
                f"a record could not be delivered ({self._delivery_error}); its input offset is not committed"
            )

    def _commit(self) -> None:
        if not self._next_offsets:
            return
        remaining = self._producer.flush(60)
        self._check_delivery()
        if remaining > 0:
            raise DeliveryFailed(
                f"{remaining} records still undelivered after 60 s; their input offsets are not committed"
            )
        offsets = [TopicPartition(t, p, o) for (t, p), o in self._next_offsets.items()]
        try:
            self._consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as e:
            error = e.args[0]
            if not (error.retriable() or error.code() in _REBALANCE_ERRORS):
                raise
            # Kept for the next commit; if the partitions have moved meanwhile, their new owner replays the records.
            LOG.warning("Commit failed (%s); retrying at the next commit", error)
            return
        self._next_offsets.clear()
        self.counters.commits += 1
        LOG.debug("Committed %s", offsets)

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        consumer.assign(partitions)  # done here (instead of by the library after the callback) so that pause holds
        if self._holding:
            consumer.pause(partitions)
        LOG.info(
            "Partitions assigned (%d): %s", len(partitions), sorted(f"{p.topic}-{p.partition}" for p in partitions)
        )

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Finish what is buffered and commit while the partitions are still ours.
        if self._failed:
            return
        self._process_buffer()
        self._commit()
        LOG.info("Partitions revoked: %s", sorted(f"{p.topic}-{p.partition}" for p in partitions))

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Their offsets can no longer be committed by this process; the new owner replays from the last commit.
        lost = {(p.topic, p.partition) for p in partitions}
        self._buffer = [m for m in self._buffer if (m.topic(), m.partition()) not in lost]
        for key in lost:
            self._next_offsets.pop(key, None)
        LOG.warning("Partitions lost: %s", sorted(f"{t}-{p}" for t, p in lost))
