package org.sentimentstream.serde;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A dotted path to a field of a structured value, such as {@code body} or {@code message.content.text}:
 * each segment names a field of a record (an Avro record or a JSON object), the last one the value.
 * Segments are not empty and hold no white space; at most {@link #MAX_SEGMENTS} of them (deeper than the
 * JSON reader's nesting bound could never match).
 */
public final class FieldPath {

    /** Most segments of a path. */
    public static final int MAX_SEGMENTS = JsonSupport.MAX_NESTING_DEPTH - 1;

    private static final Pattern SEGMENT = Pattern.compile("[^.\\s]+");

    private final String path;
    private final List<String> segments;

    private FieldPath(String path, List<String> segments) {
        this.path = path;
        this.segments = segments;
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static FieldPath parse(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a field path must not be empty");
        }
        List<String> segments = List.of(path.split("\\.", -1));
        if (segments.size() > MAX_SEGMENTS) {
            throw new IllegalArgumentException(
                    "a field path has at most " + MAX_SEGMENTS + " segments, not " + segments.size());
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("'" + path
                        + "' is not a dotted field path (segments must be non-empty and hold no white space)");
            }
        }
        return new FieldPath(path, segments);
    }

    /** The field names from the root to the value. */
    public List<String> segments() {
        return segments;
    }

    /** The path up to and including segment {@code index} (for messages). */
    String prefix(int index) {
        return String.join(".", segments.subList(0, index + 1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldPath that && path.equals(that.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
