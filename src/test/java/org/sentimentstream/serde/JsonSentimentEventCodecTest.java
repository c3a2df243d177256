package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;

class JsonSentimentEventCodecTest {

    private final JsonSentimentEventCodec codec = new JsonSentimentEventCodec();

    @Test
    void shouldRoundTripEveryField() throws Exception {
        SentimentEvent event = TestEvents.sentiment();
        event.setText("echoed text");

        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    @Test
    void shouldWriteTheAvroFieldNamesAndEpochMillis() throws Exception {
        JsonNode json = new ObjectMapper().readTree(codec.encode(TestEvents.sentiment()));

        assertThat(json.get("event_time").longValue()).isEqualTo(1_700_000_000_000L);
        assertThat(json.get("classified_at").longValue()).isEqualTo(1_700_000_000_035L);
        assertThat(json.get("probabilities").get("positive").floatValue()).isEqualTo(0.75f);
        assertThat(json.get("model_version").textValue()).isEqualTo("1.0.0");
        assertThat(json.get("text").isNull()).isTrue();
    }

    @Test
    void shouldReadAnEventWithoutKnownTokenCountAsWrittenBeforeItExisted() throws Exception {
        byte[] json = ("{\"id\":\"1\",\"label\":\"positive\",\"probabilities\":{\"positive\":0.9},"
                        + "\"model_name\":\"m\",\"model_version\":\"1\",\"event_time\":1,\"classified_at\":2,"
                        + "\"token_count\":1,\"truncated\":false}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(codec.decode(json).getKnownTokenCount()).isNull();
        assertThat(new ObjectMapper()
                        .readTree(codec.encode(TestEvents.sentiment()))
                        .get("known_token_count")
                        .intValue())
                .isEqualTo(4);
    }

    @Test
    void shouldRefuseAProbabilityThatIsNotANumber() {
        byte[] json = ("{\"id\":\"1\",\"label\":\"positive\",\"probabilities\":{\"positive\":\"high\"},"
                        + "\"model_name\":\"m\",\"model_version\":\"1\",\"event_time\":1,\"classified_at\":2,"
                        + "\"token_count\":1,\"truncated\":false}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("'positive' is a string");
    }
}
