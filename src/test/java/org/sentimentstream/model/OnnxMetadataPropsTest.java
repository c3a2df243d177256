package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading metadata_props from ONNX bytes without ONNX Runtime's lossy string conversion. */
class OnnxMetadataPropsTest {

    private static ProtoWriter entry(String key, String value) {
        return new ProtoWriter().string(1, key).string(2, value);
    }

    @Test
    void shouldReadPropertiesWithCharactersOutsideTheBasicPlane() {
        byte[] model = new ProtoWriter()
                .varint(1, 9)
                .message(7, new ProtoWriter().string(2, "graph"))
                .message(14, entry("sentiment.vocabulary", "[\"😂\",\"é\",\"€\",\"𠀋\"]"))
                .message(14, entry("sentiment.labels", "[\"a\"]"))
                .toByteArray();

        assertThat(OnnxMetadataProps.read(model, "m.onnx"))
                .isEqualTo(
                        Map.of("sentiment.vocabulary", "[\"😂\",\"é\",\"€\",\"𠀋\"]", "sentiment.labels", "[\"a\"]"));
    }

    @Test
    void shouldRefuseAPropertyThatAppearsTwice() {
        byte[] model = new ProtoWriter()
                .message(14, entry("sentiment.labels", "[\"a\"]"))
                .message(14, entry("sentiment.labels", "[\"b\"]"))
                .toByteArray();

        assertThatThrownBy(() -> OnnxMetadataProps.read(model, "m.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("Invalid model file m.onnx: metadata property sentiment.labels appears more than once");
    }

    @Test
    void shouldRefuseAValueThatIsNotUtf8() {
        byte[] model = new ProtoWriter()
                .message(14, new ProtoWriter().string(1, "k").bytes(2, new byte[] {(byte) 0xF0, (byte) 0x9F}))
                .toByteArray();

        assertThatThrownBy(() -> OnnxMetadataProps.read(model, "m.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseALengthThatRunsPastTheEnd() {
        byte[] model = {(byte) 0x72, 0x7F, 0x0A};

        assertThatThrownBy(() -> OnnxMetadataProps.read(model, "m.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not a well-formed ONNX protocol-buffers message");
    }
}
