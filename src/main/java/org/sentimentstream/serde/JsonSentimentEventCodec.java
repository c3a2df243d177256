package org.sentimentstream.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.sentimentstream.avro.SentimentEvent;

/**
 * {@link SentimentEvent}s as JSON objects with the Avro field names, times as integer milliseconds
 * since the epoch, {@code probabilities} as an object of label to number, for example
 * {@code {"id":"1","label":"positive","probabilities":{"negative":0.1,"positive":0.9},"model_name":"m",
 * "model_version":"1","event_time":1700000000000,"classified_at":1700000000050,"token_count":3,
 * "truncated":false,"source":null,"attributes":{},"text":null,"known_token_count":3}} ({@code known_token_count}
 * absent or null in records of services before it).
 */
public final class JsonSentimentEventCodec implements RecordCodec<SentimentEvent> {

    private static final String TYPE = "SentimentEvent";
    private final ObjectMapper mapper = JsonSupport.newMapper();

    @Override
    public WireFormat format() {
        return WireFormat.JSON;
    }

    @Override
    public byte[] encode(SentimentEvent event) {
        if (event.getId() == null
                || event.getLabel() == null
                || event.getProbabilities() == null
                || event.getModelName() == null
                || event.getModelVersion() == null
                || event.getEventTime() == null
                || event.getClassifiedAt() == null) {
            throw new IllegalArgumentException("Cannot encode a SentimentEvent with a required field null");
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("id", event.getId());
        node.put("label", event.getLabel());
        ObjectNode probabilities = node.putObject("probabilities");
        for (Map.Entry<String, Float> entry : event.getProbabilities().entrySet()) {
            probabilities.put(entry.getKey(), entry.getValue());
        }
        node.put("model_name", event.getModelName());
        node.put("model_version", event.getModelVersion());
        node.put("event_time", event.getEventTime().toEpochMilli());
        node.put("classified_at", event.getClassifiedAt().toEpochMilli());
        node.put("token_count", event.getTokenCount());
        node.put("truncated", event.getTruncated());
        node.put("source", event.getSource());
        ObjectNode attributes = node.putObject("attributes");
        if (event.getAttributes() != null) {
            for (Map.Entry<String, String> entry : event.getAttributes().entrySet()) {
                attributes.put(entry.getKey(), entry.getValue());
            }
        }
        node.put("text", event.getText());
        node.put("known_token_count", event.getKnownTokenCount());
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot encode a SentimentEvent in JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public SentimentEvent decode(byte[] bytes) throws RecordDecodingException {
        JsonSupport.Fields fields = new JsonSupport.Fields(JsonSupport.parseObject(mapper, bytes, TYPE), TYPE);
        return SentimentEvent.newBuilder()
                .setId(fields.requiredText("id"))
                .setLabel(fields.requiredText("label"))
                .setProbabilities(fields.requiredFloatMap("probabilities"))
                .setModelName(fields.requiredText("model_name"))
                .setModelVersion(fields.requiredText("model_version"))
                .setEventTime(fields.requiredEpochMillis("event_time"))
                .setClassifiedAt(fields.requiredEpochMillis("classified_at"))
                .setTokenCount(fields.requiredInt("token_count"))
                .setTruncated(fields.requiredBoolean("truncated"))
                .setSource(fields.optionalText("source"))
                .setAttributes(fields.stringMapOrEmpty("attributes"))
                .setText(fields.optionalText("text"))
                .setKnownTokenCount(fields.optionalInt("known_token_count"))
                .build();
    }
}
