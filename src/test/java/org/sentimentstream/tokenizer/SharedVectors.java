package org.sentimentstream.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON-lines test vectors that the Python side writes to src/test/resources/model/. */
public final class SharedVectors {

    /** One line of a vector file, with its line number for messages. */
    public record Line(int number, JsonNode json) {
        public String text() {
            return json.get("text").textValue();
        }

        public long[] longs(String field) {
            JsonNode array = json.get(field);
            long[] values = new long[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).longValue();
            }
            return values;
        }

        public int integer(String field) {
            JsonNode value = json.get(field);
            if (value == null || !value.isInt()) {
                throw new IllegalStateException("vector line " + number + " has no integer " + field);
            }
            return value.intValue();
        }

        public List<String> strings(String field) {
            List<String> values = new ArrayList<>();
            json.get(field).forEach(node -> values.add(node.textValue()));
            return values;
        }

        public float[] floats(String field) {
            JsonNode array = json.get(field);
            float[] values = new float[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) array.get(i).doubleValue();
            }
            return values;
        }

        /** The text with every non-printable-ASCII character escaped, for test names. */
        public String describe() {
            StringBuilder out = new StringBuilder("line " + number + ": ");
            String text = text();
            int shown = Math.min(text.length(), 60);
            for (int i = 0; i < shown; i++) {
                char c = text.charAt(i);
                out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
            return out.append(text.length() > shown ? "..." : "").toString();
        }
    }

    private SharedVectors() {}

    public static List<Line> read(String resource) {
        InputStream in = SharedVectors.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("test resource " + resource + " is missing (written by the Python side)");
        }
        ObjectMapper json = new ObjectMapper();
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    lines.add(new Line(number, json.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + resource, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("test resource " + resource + " holds no vector");
        }
        return lines;
    }
}
