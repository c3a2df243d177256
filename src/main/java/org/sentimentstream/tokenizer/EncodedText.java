package org.sentimentstream.tokenizer;

/**
 * A tokenized text: its token ids (already truncated to the model's maximum length).
 *
 * @param ids        token ids, at most {@code maxLength} of them; empty when the text has no token
 * @param tokenCount number of tokens before truncation
 */
public record EncodedText(long[] ids, int tokenCount) {

    /** True when the text had more tokens than the model accepts and was cut. */
    public boolean truncated() {
        return tokenCount > ids.length;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }
}
