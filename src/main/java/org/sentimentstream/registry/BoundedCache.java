package org.sentimentstream.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread-safe map that keeps at most a given number of entries, dropping the least recently used one
 * beyond it (what Confluent's client gets from its bounded Guava caches). Meant for small, hot caches:
 * every access takes one lock.
 *
 * @param <K> the key
 * @param <V> the value
 */
public final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    /** An empty cache of at most {@code capacity} entries. */
    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value of a key (which becomes the most recently used), or null. */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    /** Keeps the value of a key, dropping the least recently used entry if the cache is full. */
    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /** Removes a key if it has this value. */
    public synchronized void remove(K key, V value) {
        entries.remove(key, value);
    }
}
