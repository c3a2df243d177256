package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.registry.FakeRegistry;
import org.sentimentstream.registry.FakeRegistry.Answer;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.registry.SubjectNameStrategy;

/** What the registry's answers become for a confluent-avro codec: dead-letter reasons, over a fake registry. */
@Timeout(120)
class RegistryWriterSchemasTest {

    private FakeRegistry registry;
    private ConfluentAvroCodec<TextEvent> codec;

    @BeforeEach
    void start() throws IOException {
        registry = FakeRegistry.start();
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(
                Map.of("schema.registry.url", registry.url(), "retries.wait.ms", "10", "retries.max.wait.ms", "20")));
        ConfluentAvroSupport support =
                new ConfluentAvroSupport(new RegistryWriterSchemas(client, false), SubjectNameStrategy.TOPIC_NAME);
        codec = new ConfluentAvroCodec<>(TextEvent.class, TextEvent.getClassSchema(), "in", support);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldDeadLetterAnIdUnknownTwiceAsUnknownSchemaId() {
        assertDecodingFails(7, RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID, "schema id 7");
        assertThat(registry.requests("/schemas/ids/7")).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterASchemaLargerThanTheClientReadsAsIncompatibleAndAskOnce() {
        registry.on("/schemas/ids/8", Answer.huge(200, SchemaRegistryClient.MAX_ANSWER_BYTES + 1));

        assertDecodingFails(8, RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, "larger than");
        assertDecodingFails(8, RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, "larger than");
        assertThat(registry.requests("/schemas/ids/8")).isEqualTo(1);
    }

    @Test
    void shouldLookUpItsOwnSchemaAndReadARecordWhoseSchemaTheRegistryHas() throws Exception {
        registry.on("/subjects/in-value", Answer.json(200, "{\"id\":9}"));
        registry.on("/schemas/ids/9", Answer.schema(TextEvent.getClassSchema().toString()));
        TextEvent event = TestEvents.fullText();

        byte[] framed = codec.encode(event);

        assertThat(ByteBuffer.wrap(framed).getInt(1)).isEqualTo(9);
        assertThat(codec.decode(framed)).isEqualTo(event);
    }

    private void assertDecodingFails(int id, RecordDecodingException.Kind kind, String message) {
        byte[] header = ByteBuffer.allocate(5).put((byte) 0).putInt(id).array();
        assertThatThrownBy(() -> codec.decode(header))
                .isInstanceOfSatisfying(
                        RecordDecodingException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(message);
    }
}
