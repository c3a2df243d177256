package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
        TextEvent event =
                codec.decode(utf8("{\"id\":\"1\",\"text\":\"hi\",\"event_time\":5,\"extra\":{\"nested\":[1,2,3]}}"));

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
        byte[] json =
                utf8("{\"id\":\"1\",\"text\":\"" + "a".repeat(JsonSupport.MAX_DOCUMENT_BYTES) + "\",\"event_time\":5}");

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

    private static byte[] withTextBytes(byte[] textBytes) {
        byte[] head = utf8("{\"id\":\"1\",\"text\":\"a");
        byte[] tail = utf8("b\",\"event_time\":5}");
        byte[] json = new byte[head.length + textBytes.length + tail.length];
        System.arraycopy(head, 0, json, 0, head.length);
        System.arraycopy(textBytes, 0, json, head.length, textBytes.length);
        System.arraycopy(tail, 0, json, head.length + textBytes.length, tail.length);
        return json;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            overlong NUL                 | C0 80
            overlong slash               | E0 80 AF
            encoded surrogate (CESU-8)   | ED A0 80
            beyond U+10FFFF              | F4 90 80 80
            lone continuation byte       | 80
            truncated sequence           | E2 82
            byte FF                      | FF
            """)
    void shouldRefuseMalformedUtf8ThatTheAvroFormatRefusesToo(String name, String hex) {
        byte[] bad = HexFormat.ofDelimiter(" ").parseHex(hex);

        assertThatThrownBy(() -> codec.decode(withTextBytes(bad)))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseJsonInUtf16() {
        byte[] json = "{\"id\":\"1\",\"text\":\"hi\",\"event_time\":5}".getBytes(StandardCharsets.UTF_16LE);

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("not valid UTF-8: a zero byte at offset 1");
    }

    @Test
    void shouldAcceptAByteOrderMarkAndEscapedSurrogatePairs() throws Exception {
        TextEvent event =
                codec.decode(utf8("\ufeff{\"id\":\"\\ud83d\\ude00\",\"text\":\"hi \\uD83D\\uDE00\",\"event_time\":5}"));

        assertThat(event.getId()).isEqualTo("\uD83D\uDE00");
        assertThat(event.getText()).isEqualTo("hi \uD83D\uDE00");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            lone high in id          | {"id":"a\\ud800","text":"hi","event_time":5}                      | Field 'id' of the JSON TextEvent holds an unpaired surrogate at character 1
            lone low in text         | {"id":"1","text":"\\udc00hi","event_time":5}                      | Field 'text' of the JSON TextEvent holds an unpaired surrogate at character 0
            reversed pair in source  | {"id":"1","text":"hi","event_time":5,"source":"\\ude00\\ud83d"}  | Field 'source'
            high at the end          | {"id":"1","text":"hi","event_time":5,"language":"en\\ud83d"}      | Field 'language'
            lone in attribute value  | {"id":"1","text":"hi","event_time":5,"attributes":{"k":"x","j":"\\udfff"}} | The value of entry #1 of field 'attributes'
            """)
    void shouldRefuseEscapesThatLeaveASurrogateUnpaired(String name, String json, String reason) {
        assertThatThrownBy(() -> codec.decode(utf8(json)))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("not valid Unicode");
    }

    @Test
    void shouldRefuseAnUnpairedSurrogateInAFieldName() {
        byte[] json = utf8("{\"id\":\"1\",\"text\":\"hi\",\"event_time\":5,\"attributes\":{\"\\udc00\":\"v\"}}");

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("surrogate in field name");
    }
}
