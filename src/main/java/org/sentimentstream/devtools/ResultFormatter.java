package org.sentimentstream.devtools;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.cli.RecordPrinter;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.WireFormat;

/**
 * One line per result of the demo: a table row (label, probability of the label, text) or a JSON line; a
 * dead letter as {@code consume --dead-letters} prints it.
 */
final class ResultFormatter {

    private final boolean json;
    private final RecordCodec<SentimentEvent> jsonCodec = WireFormat.JSON.sentimentEventCodec();
    private final RecordPrinter deadLetters;

    /**
     * @param json        whether results are JSON lines (the {@code json} wire format) rather than table rows
     * @param outputCodec the codec of the output topic (the dead-letter printer's way to read results)
     */
    ResultFormatter(boolean json, RecordCodec<SentimentEvent> outputCodec) {
        this.json = json;
        this.deadLetters = new RecordPrinter(outputCodec);
    }

    /** A result; {@code text} is the text that was sent (null: unknown, the event's id is shown instead). */
    String result(SentimentEvent event, String text) {
        if (json) {
            return new String(jsonCodec.encode(event), StandardCharsets.UTF_8);
        }
        Float probability = event.getProbabilities().get(event.getLabel());
        return String.format(
                Locale.ROOT,
                "%-9s %5.3f  %s",
                event.getLabel(),
                probability == null ? Float.NaN : probability,
                text == null ? "(id " + event.getId() + ")" : text);
    }

    /** A record of the dead-letter topic, with its reason. */
    String deadLetter(ConsumerRecord<byte[], byte[]> record) {
        return "dead letter: " + deadLetters.deadLetter(record);
    }
}
