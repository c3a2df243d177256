package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentimentstream.avro.TextEvent;

class JsonTextEventCodecTest {

    private final JsonTextEventCodec codec = new JsonTextEventCodec();

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDecodeTheDocumentedExample() throws Exception {
        TextEvent event = codec.decode(utf8("""
                {"id":"1","text":"what a day","event_time":1700000000000,"source":null,"language":null,"attributes":{}}"""));

        assertThat(event).isEqualTo(TestEvents.text("1", "what a day"));
    }

    @Test
    void shouldRoundTripEveryField() throws Exception {
        TextEvent event = TestEvents.fullText();

        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    @Test
    void shouldDefaultAbsentOptionalFields() throws Exception {
        TextEvent event = codec.decode(utf8("{\"id\":\"1\",\"text\":\"hi\",\"event_time\":5}"));

        assertThat(event.getSource()).isNull();
        assertThat(event.getLanguage()).isNull();
        assertThat(event.getAttributes()).isEqualTo(Map.of());
    }

    @Test
    void shouldIgnoreUnknownFields() throws Exception {
        TextEvent event = codec.decode(utf8(
                "{\"id\":\"1\",\"text\":\"hi\",\"event_time\":5,\"extra\":{\"nested\":[1,2,3]}}"));

        assertThat(event.getId()).isEqualTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing id           | {"text":"hi","event_time":5}                       | lacks the required field 'id'
            missing text         | {"id":"1","event_time":5}                          | lacks the required field 'text'
            missing event_time   | {"id":"1","text":"hi"}                             | lacks the required field 'event_time'
            number as id         | {"id":1,"text":"hi","event_time":5}                | Field 'id' of the JSON TextEvent must be a string, not a number
            number as text       | {"id":"1","text":42,"event_time":5}                | Field 'text' of the JSON TextEvent must be a string, not a number
            null text            | {"id":"1","text":null,"event_time":5}              | Field 'text' of the JSON TextEvent must be a string, not null
            string event_time    | {"id":"1","text":"hi","event_time":"5"}            | Field 'event_time' of the JSON TextEvent must be an integer number of milliseconds since the epoch, not a string
            fractional time      | {"id":"1","text":"hi","event_time":5.5}            | must be an integer number of milliseconds since the epoch, not a fractional number
            huge event_time      | {"id":"1","text":"hi","event_time":123456789012345678901234} | not an integer beyond 64 bits
            object as source     | {"id":"1","text":"hi","event_time":5,"source":{}}  | Field 'source' of the JSON TextEvent must be a string or null, not an object
            number attribute     | {"id":"1","text":"hi","event_time":5,"attributes":{"a":1}} | 'a' is a number
            null attributes      | {"id":"1","text":"hi","event_time":5,"attributes":null} | Field 'attributes' of the JSON TextEvent must be an object of strings, not null
            array not object     | [1,2]                                              | must be an object, not an array
            bare string          | "hello"                                            | must be an object, not a string
            duplicate key        | {"id":"1","id":"2","text":"hi","event_time":5}     | Duplicate field 'id'
            trailing garbage     | {"id":"1","text":"hi","event_time":5} x            | Invalid JSON TextEvent
            not json             | id=1                                               | Invalid JSON TextEvent at line 1
            """)
    void shouldRefuseMalformedEventsWithAReasonNamingTheProblem(String name, String json, String reason) {
        assertThatThrownBy(() -> codec.decode(utf8(json)))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void shouldRefuseDeeplyNestedInput() {
        String nested = "[".repeat(10_000) + "]".repeat(10_000);
        byte[] json = utf8("{\"id\":\"1\",\"text\":\"hi\",\"event_time\":5,\"extra\":" + nested + "}");

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("exceeds a limit")
                .hasMessageContaining("nesting depth");
    }

    @Test
    void shouldRefuseADocumentOverTheSizeLimit() {
        byte[] json = utf8("{\"id\":\"1\",\"text\":\"" + "a".repeat(JsonSupport.MAX_DOCUMENT_BYTES) + "\",\"event_time\":5}");

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("more than the limit of " + JsonSupport.MAX_DOCUMENT_BYTES);
    }

    @Test
    void shouldRefuseEmptyAndNullValues() {
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("null");
    }

    @Test
    void shouldNotQuoteTheInputInErrorMessages() {
        byte[] json = utf8("{\"id\":\"1\",\"text\": secret-diagnosis here}");

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .message()
                .doesNotContain("secret")
                .doesNotContain("diagnosis");
    }
}
