package org.sentimentstream.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;

/**
 * The batches of a partition's log segments as {@code kafka-dump-log} prints them (offsets, producer id, epoch,
 * base sequence, transactional and control flags, control record types), read with kafka-clients'
 * {@link FileRecords}: {@code kafka.tools.DumpLogSegments} is not in the Kafka 4.4 broker jar this project has
 * (it moved to kafka-tools, which is not a dependency).
 */
final class SegmentDump {

    private SegmentDump() {}

    /** One line per batch of every {@code .log} segment in {@code partitionFolder}, in offset order. */
    static List<String> batches(Path partitionFolder) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(partitionFolder)) {
            segments = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path segment : segments) {
            lines.add("segment " + segment.getFileName());
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (FileChannelRecordBatch batch : records.batches()) {
                    StringBuilder line = new StringBuilder()
                            .append("baseOffset: ")
                            .append(batch.baseOffset())
                            .append(" lastOffset: ")
                            .append(batch.lastOffset())
                            .append(" count: ")
                            .append(batch.lastOffset() - batch.baseOffset() + 1)
                            .append(" producerId: ")
                            .append(batch.producerId())
                            .append(" producerEpoch: ")
                            .append(batch.producerEpoch())
                            .append(" baseSequence: ")
                            .append(batch.baseSequence())
                            .append(" isTransactional: ")
                            .append(batch.isTransactional())
                            .append(" isControl: ")
                            .append(batch.isControlBatch())
                            .append(" partitionLeaderEpoch: ")
                            .append(batch.partitionLeaderEpoch())
                            .append(" maxTimestamp: ")
                            .append(batch.maxTimestamp());
                    if (batch.isControlBatch()) {
                        for (Record record : batch) {
                            line.append(" endTxnMarker: ").append(ControlRecordType.parse(record.key()));
                        }
                    } else {
                        Record first = batch.iterator().next();
                        line.append(" firstKey: ")
                                .append(
                                        first.hasKey()
                                                ? StandardCharsets.UTF_8
                                                        .decode(first.key())
                                                        .toString()
                                                : "null");
                    }
                    lines.add(line.toString());
                }
            }
        }
        return lines;
    }
}
