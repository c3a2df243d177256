// Writes java-wire-samples.json: Avro single-object bytes made by the Java service's own classes, which the
// Python baseline's tests decode and reproduce byte for byte. Not part of the Maven build; regenerate with
//   java -cp target/sentiment-stream.jar benchmarks/python_service/tests/WireSamples.java \
//       > benchmarks/python_service/tests/java-wire-samples.json
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.SchemaNormalization;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

public class WireSamples {
    public static void main(String[] args) throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("lang", "en");
        attributes.put("caf\u00e9", "\u263a");
        TextEvent full = TextEvent.newBuilder()
                .setId("id-1")
                .setText("I love this phone \u2764\ufe0f caf\u00e9")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setSource("twitter")
                .setLanguage("en")
                .setAttributes(attributes)
                .build();
        TextEvent minimal = TextEvent.newBuilder()
                .setId("id-2")
                .setText("this is the worst day ever")
                .setEventTime(Instant.ofEpochMilli(0L))
                .build();
        Map<String, Float> probabilities = new LinkedHashMap<>();
        probabilities.put("negative", 0.14050457f);
        probabilities.put("positive", 0.8594954f);
        SentimentEvent result = SentimentEvent.newBuilder()
                .setId("id-1")
                .setLabel("positive")
                .setProbabilities(probabilities)
                .setModelName("sentiment-bilstm")
                .setModelVersion("1.1.0")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setClassifiedAt(Instant.ofEpochMilli(1_700_000_000_456L))
                .setTokenCount(7)
                .setTruncated(false)
                .setSource("twitter")
                .setAttributes(new LinkedHashMap<>(attributes))
                .setKnownTokenCount(6)
                .build();
        HexFormat hex = HexFormat.of();
        System.out.println("{");
        System.out.printf(
                "  \"text_event_fingerprint\": \"%016x\",%n",
                SchemaNormalization.parsingFingerprint64(TextEvent.getClassSchema()));
        System.out.printf(
                "  \"sentiment_event_fingerprint\": \"%016x\",%n",
                SchemaNormalization.parsingFingerprint64(SentimentEvent.getClassSchema()));
        System.out.printf("  \"text_event_full\": \"%s\",%n", hex.formatHex(bytes(full.toByteBuffer())));
        System.out.printf("  \"text_event_minimal\": \"%s\",%n", hex.formatHex(bytes(minimal.toByteBuffer())));
        System.out.printf("  \"sentiment_event\": \"%s\"%n", hex.formatHex(bytes(result.toByteBuffer())));
        System.out.println("}");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
