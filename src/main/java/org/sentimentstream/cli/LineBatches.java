package org.sentimentstream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads lines and hands them over in batches: a batch is as many lines as are already available,
 * up to a maximum, so piped input is batched while a line typed at a terminal is answered at once.
 */
final class LineBatches {

    private LineBatches() {}

    /** Reads {@code reader} to its end, passing batches of at most {@code maxBatch} lines to {@code sink}; returns the line count. */
    static long forEachBatch(BufferedReader reader, int maxBatch, Consumer<List<String>> sink) throws IOException {
        long count = 0;
        List<String> batch = new ArrayList<>(maxBatch);
        String line;
        while ((line = reader.readLine()) != null) {
            batch.add(line);
            while (batch.size() < maxBatch && reader.ready() && (line = reader.readLine()) != null) {
                batch.add(line);
            }
            count += batch.size();
            sink.accept(List.copyOf(batch));
            batch.clear();
        }
        return count;
    }
}
