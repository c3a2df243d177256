package org.sentimentstream.loadtest;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * The event ids of one load-test run: {@code <run id>-<index>}. The run id is random unless given,
 * so several runs on one topic (or results left from an earlier run) are told apart.
 */
public final class RunIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int RANDOM_LENGTH = 10;

    private final String runId;
    private final String prefix;

    public RunIds(String runId) {
        if (runId == null
                || runId.isBlank()
                || runId.contains("-")
                || runId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a run id must be non-empty, without '-' or spaces: '" + runId + "'");
        }
        this.runId = runId;
        this.prefix = runId + "-";
    }

    /** A run with a new random id. */
    public static RunIds random() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder("lt");
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return new RunIds(id.toString().toLowerCase(Locale.ROOT));
    }

    /** The run id. */
    public String runId() {
        return runId;
    }

    /** The id of event {@code index}. */
    public String id(long index) {
        return prefix + index;
    }

    /** The index of an id of this run, or -1 when the id is not one of this run's (or is null). */
    public long indexOf(String id) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
            return -1;
        }
        long index = 0;
        for (int i = prefix.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9' || index > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }
}
