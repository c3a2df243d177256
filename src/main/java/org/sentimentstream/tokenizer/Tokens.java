package org.sentimentstream.tokenizer;

import java.util.List;

/**
 * The tokens of one text, before any vocabulary: what the tokenizer specification produces. Token ids
 * belong to a model (its vocabulary and maximum length), so they are looked up only when a model
 * classifies the text; the tokens themselves are the same for every model of the same tokenizer
 * specification.
 *
 * @param values the tokens, in text order; empty when the text has none
 */
public record Tokens(List<String> values) {

    public Tokens {
        values = List.copyOf(values);
    }

    /** Tokens of a text by the tokenizer of this build. */
    public static Tokens of(Tokenizer tokenizer, String text) {
        return new Tokens(tokenizer.tokenize(text));
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
