package org.sentimentstream.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.sentimentstream.avro.SentimentEvent;

/**
 * The enriched JSON output: the input object with a {@value #FIELD} object added (replacing a field of that
 * name if the input has one): {@code label}, {@code probabilities}, {@code model_name}, {@code model_version},
 * {@code classified_at} (epoch milliseconds), named as in the JSON sentiment event.
 */
final class JsonEnrichedWriter implements OutputWriter {

    /** The name of the added field. */
    static final String FIELD = "sentiment";

    private final ObjectMapper mapper = JsonSupport.newMapper();

    @Override
    public byte[] write(DecodedInput input, SentimentEvent result) {
        if (!(input.value() instanceof ObjectNode object)) {
            throw new IllegalArgumentException("An enriched JSON output needs a JSON object input");
        }
        ObjectNode sentiment = object.putObject(FIELD);
        sentiment.put("label", result.getLabel());
        ObjectNode probabilities = sentiment.putObject("probabilities");
        for (Map.Entry<String, Float> entry : result.getProbabilities().entrySet()) {
            probabilities.put(entry.getKey(), entry.getValue());
        }
        sentiment.put("model_name", result.getModelName());
        sentiment.put("model_version", result.getModelVersion());
        sentiment.put("classified_at", result.getClassifiedAt().toEpochMilli());
        try {
            return mapper.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the enriched JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
