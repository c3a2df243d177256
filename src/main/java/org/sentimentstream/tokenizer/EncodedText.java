package org.sentimentstream.tokenizer;

/**
 * A tokenized text: its token ids (already truncated to the model's maximum length).
 *
 * @param ids             token ids, at most {@code maxLength} of them; empty when the text has no token
 * @param tokenCount      number of tokens before truncation
 * @param knownTokenCount number of {@code ids} that are not the vocabulary's unknown id: the tokens of the
 *                        text the model knows (docs/TOKENIZER.md, "Known tokens")
 */
public record EncodedText(long[] ids, int tokenCount, int knownTokenCount) {

    public EncodedText {
        if (knownTokenCount < 0 || knownTokenCount > ids.length) {
            throw new IllegalArgumentException(
                    "knownTokenCount " + knownTokenCount + " is outside 0.." + ids.length + " (the ids)");
        }
    }

    /** True when the text had more tokens than the model accepts and was cut. */
    public boolean truncated() {
        return tokenCount > ids.length;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }
}
