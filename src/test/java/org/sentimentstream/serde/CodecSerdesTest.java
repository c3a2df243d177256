package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentimentstream.avro.TextEvent;

class CodecSerdesTest {

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldRoundTripTextEventsInEveryFormat(WireFormat format) {
        Serde<TextEvent> serde = CodecSerdes.serde(format.textEventCodec());
        TextEvent event = TestEvents.fullText();

        byte[] bytes = serde.serializer().serialize("t", event);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(event);
        assertThat(format.textEventCodec().format()).isEqualTo(format);
    }

    @Test
    void shouldKeepTombstonesNull() {
        Serde<TextEvent> serde = CodecSerdes.serde(WireFormat.AVRO.textEventCodec());

        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldNameTheTopicAndReasonWhenAValueCannotBeDecoded() {
        Serde<TextEvent> serde = CodecSerdes.serde(WireFormat.JSON.textEventCodec());

        assertThatThrownBy(() -> serde.deserializer().deserialize("my-topic", "{}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("my-topic")
                .hasMessageContaining("lacks the required field 'id'");
    }

    @Test
    void shouldParseFormatNamesCaseInsensitively() {
        assertThat(WireFormat.fromConfigValue(" JSON ")).isEqualTo(WireFormat.JSON);
        assertThatThrownBy(() -> WireFormat.fromConfigValue("protobuf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("avro, json");
    }
}
