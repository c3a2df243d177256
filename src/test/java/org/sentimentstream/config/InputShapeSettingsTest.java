package org.sentimentstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentimentstream.serde.FieldMapping;
import org.sentimentstream.serde.FieldPath;
import org.sentimentstream.serde.InputShape;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.WireFormat;

/**
 * The settings of issue 17 (input.format=text, input.text.field, input.id.field, input.time.field,
 * output.mode): defaults that keep text events, good values, and one clear error naming the setting.
 * In a class of their own so that branches adding other settings to SentimentStreamConfigTest merge cleanly.
 */
class InputShapeSettingsTest {

    private static SentimentStreamConfig withSettings(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("bootstrap.servers", "localhost:9092");
        all.putIfAbsent("application.id", "shape-test");
        return new SentimentStreamConfig(all);
    }

    @Test
    void shouldReadTextEventsAndWriteSentimentEventsByDefault() {
        SentimentStreamConfig config = withSettings(Map.of());

        assertThat(config.inputShape()).isEqualTo(InputShape.TEXT_EVENTS);
        assertThat(config.outputMode()).isEqualTo(OutputMode.EVENT);
        assertThat(config.inputFormat()).contains(WireFormat.AVRO);
    }

    @Test
    void shouldReadPlainTextWithoutAWireFormat() {
        SentimentStreamConfig config = withSettings(Map.of("input.format", "TEXT"));

        assertThat(config.inputShape()).isEqualTo(InputShape.PLAIN_TEXT);
        assertThat(config.inputFormat()).isEmpty();
    }

    @Test
    void shouldMapFieldsOfJsonAndEnrichTheOutput() {
        SentimentStreamConfig config = withSettings(Map.of(
                "input.format", "json",
                "output.format", "json",
                "input.text.field", "message.content.text",
                "input.id.field", "meta.id",
                "output.mode", "enriched"));

        assertThat(config.inputShape().fields())
                .isEqualTo(new FieldMapping(FieldPath.parse("message.content.text"), FieldPath.parse("meta.id"), null));
        assertThat(config.outputMode()).isEqualTo(OutputMode.ENRICHED);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "input.text.field|a..b|input.text.field",
                "input.text.field|message body|input.text.field",
                "input.id.field|.id|input.id.field",
                "input.time.field|a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p|input.time.field",
                "output.mode|both|output.mode",
                "input.format|csv|input.format"
            })
    void shouldRefuseABadValueNamingTheSetting(String setting, String value, String named) {
        Map<String, String> settings = new HashMap<>(Map.of("input.format", "json", "input.text.field", "body"));
        settings.put(setting, value);

        assertThatThrownBy(() -> withSettings(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(named);
    }

    @Test
    void shouldRefuseFieldPathsOnFormatsThatCannotHoldThem() {
        assertThatThrownBy(() -> withSettings(Map.of("input.text.field", "body")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("input.text.field")
                .hasMessageContaining("json or confluent-avro");
        assertThatThrownBy(() -> withSettings(Map.of("input.format", "text", "input.text.field", "body")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("input.text.field");
        assertThatThrownBy(() -> withSettings(Map.of("input.format", "json", "input.id.field", "id")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("input.id.field")
                .hasMessageContaining("Needs input.text.field");
    }

    @Test
    void shouldRefuseAnEnrichedOutputWithoutMappedInputOrInAnotherFormat() {
        assertThatThrownBy(() -> withSettings(Map.of("input.format", "json", "output.mode", "enriched")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("output.mode");
        assertThatThrownBy(() -> withSettings(
                        Map.of("input.format", "json", "input.text.field", "body", "output.mode", "enriched")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("output.format")
                .hasMessageContaining("must equal input.format");
        assertThatThrownBy(() -> withSettings(Map.of("output.format", "text")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("output.format");
    }
}
