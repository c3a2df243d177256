package org.sentimentstream.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's vocabulary: token strings in id order, with the ids of the padding and unknown tokens.
 * Immutable and thread-safe.
 */
public final class Vocabulary {

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int padId;
    private final int unkId;

    /**
     * @throws IllegalArgumentException when the list is empty, holds a duplicate or a null token, or
     *                                  when the pad or unk id is outside it
     */
    public Vocabulary(List<String> tokens, int padId, int unkId) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the vocabulary is empty");
        }
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int id = 0; id < this.tokens.size(); id++) {
            Integer previous = ids.put(this.tokens.get(id), id);
            if (previous != null) {
                throw new IllegalArgumentException("the vocabulary holds token '" + this.tokens.get(id)
                        + "' twice (ids " + previous + " and " + id + ")");
            }
        }
        checkInRange("pad id", padId);
        checkInRange("unk id", unkId);
        this.padId = padId;
        this.unkId = unkId;
    }

    private void checkInRange(String what, int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException(
                    what + " " + id + " is outside the vocabulary (ids 0.." + (tokens.size() - 1) + ")");
        }
    }

    /** The id of a token, or the unknown id when the vocabulary does not hold it. */
    public int idOf(String token) {
        Integer id = ids.get(token);
        return id == null ? unkId : id;
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public int size() {
        return tokens.size();
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }
}
