package org.sentimentstream.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.sentimentstream.avro.TextEvent;

/**
 * {@link TextEvent}s as JSON objects with the Avro field names:
 * {@code {"id":"1","text":"...","event_time":1700000000000,"source":null,"language":null,"attributes":{}}}.
 * {@code id}, {@code text} and {@code event_time} (integer milliseconds since the epoch) are required;
 * {@code source} and {@code language} are a string or null and may be absent; {@code attributes} is an
 * object of strings and may be absent. Unknown fields are ignored.
 */
public final class JsonTextEventCodec implements RecordCodec<TextEvent> {

    private static final String TYPE = "TextEvent";
    private final ObjectMapper mapper = JsonSupport.newMapper();

    @Override
    public WireFormat format() {
        return WireFormat.JSON;
    }

    @Override
    public byte[] encode(TextEvent event) {
        if (event.getId() == null || event.getText() == null || event.getEventTime() == null) {
            throw new IllegalArgumentException("Cannot encode a TextEvent without id, text or event_time");
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("id", event.getId());
        node.put("text", event.getText());
        node.put("event_time", event.getEventTime().toEpochMilli());
        node.put("source", event.getSource());
        node.put("language", event.getLanguage());
        ObjectNode attributes = node.putObject("attributes");
        if (event.getAttributes() != null) {
            for (Map.Entry<String, String> entry : event.getAttributes().entrySet()) {
                attributes.put(entry.getKey(), entry.getValue());
            }
        }
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot encode a TextEvent in JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public TextEvent decode(byte[] bytes) throws RecordDecodingException {
        JsonSupport.Fields fields = new JsonSupport.Fields(JsonSupport.parseObject(mapper, bytes, TYPE), TYPE);
        return TextEvent.newBuilder()
                .setId(fields.requiredText("id"))
                .setText(fields.requiredText("text"))
                .setEventTime(fields.requiredEpochMillis("event_time"))
                .setSource(fields.optionalText("source"))
                .setLanguage(fields.optionalText("language"))
                .setAttributes(fields.stringMapOrEmpty("attributes"))
                .build();
    }
}
