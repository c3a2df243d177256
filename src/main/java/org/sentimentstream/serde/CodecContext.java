package org.sentimentstream.serde;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What codecs are made from besides their format: the configuration's settings (as Kafka serdes are
 * {@code configure(Map)}d), and the objects that every codec of one process shares, such as a schema
 * registry client and its caches. Make one per process (per configuration) and hand it to every codec
 * made there, so that the shared objects are made once.
 */
public final class CodecContext {

    private final Map<String, Object> settings;
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

    private CodecContext(Map<String, ?> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** A context over these settings (unknown settings are ignored by the formats that do not use them). */
    public static CodecContext of(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        Map<String, Object> copy = new java.util.HashMap<>();
        settings.forEach((name, value) -> {
            if (value != null) {
                copy.put(name, value);
            }
        });
        return new CodecContext(copy);
    }

    /** A context without settings: enough for the formats that need none (avro, json). */
    public static CodecContext withoutSettings() {
        return new CodecContext(Map.of());
    }

    /** The settings, unchanged. */
    public Map<String, Object> settings() {
        return settings;
    }

    /**
     * The object of this type shared by the codecs of this context, made from the settings by
     * {@code factory} the first time it is asked for.
     */
    <S> S shared(Class<S> type, Function<Map<String, Object>, S> factory) {
        return type.cast(shared.computeIfAbsent(type, t -> factory.apply(settings)));
    }
}
