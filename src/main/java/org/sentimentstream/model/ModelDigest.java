package org.sentimentstream.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An optional pinned SHA-256 of the model file's bytes ({@code model.sha256}): with one, a file whose
 * digest differs is refused before ONNX Runtime reads it, at start-up (exit code 2) and on a hot reload
 * (the serving model keeps serving). Without one, any file that meets the model contract is trusted.
 */
public final class ModelDigest {

    /** No pinned digest: every file that meets the contract is accepted. */
    public static final ModelDigest ANY = new ModelDigest(null);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final String pinned;

    private ModelDigest(String pinned) {
        this.pinned = pinned;
    }

    /**
     * A pinned digest: 64 hexadecimal digits (either case), or empty for {@link #ANY}.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static ModelDigest of(String sha256) {
        String hex = sha256 == null ? "" : sha256.trim().toLowerCase(Locale.ROOT);
        if (hex.isEmpty()) {
            return ANY;
        }
        if (!isSha256Hex(hex)) {
            throw new IllegalArgumentException("a SHA-256 digest is 64 hexadecimal digits");
        }
        return new ModelDigest(hex);
    }

    /** Whether {@code text} is a SHA-256 digest in hexadecimal (64 digits, either case). */
    public static boolean isSha256Hex(String text) {
        return SHA256_HEX.matcher(text.trim().toLowerCase(Locale.ROOT)).matches();
    }

    /** The pinned digest, lower case, if there is one. */
    public Optional<String> pinned() {
        return Optional.ofNullable(pinned);
    }

    /**
     * Checks the bytes against the pinned digest.
     *
     * @param source where the bytes came from, for the message
     * @throws InvalidModelException naming the file and both digests when they differ
     */
    public void check(byte[] bytes, String source) {
        if (pinned == null) {
            return;
        }
        String actual = ModelLoader.sha256Hex(bytes);
        if (!actual.equals(pinned)) {
            throw new InvalidModelException(
                    source, "its sha256 is " + actual + ", not the pinned " + pinned + " (model.sha256)");
        }
    }
}
