package org.sentimentstream.model;

/**
 * A model file that is not a usable {@code sentiment-model/1} artifact (docs/MODEL_CONTRACT.md): it
 * is empty, does not parse as ONNX, has the wrong inputs or outputs, or lacks or contradicts the
 * required metadata. The message names the file and the problem.
 */
public class InvalidModelException extends ModelLoadException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    public InvalidModelException(String source, String problem) {
        this(source, problem, null);
    }

    public InvalidModelException(String source, String problem, Throwable cause) {
        super("Invalid model file " + source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** Where the model came from: a file path or a class path resource. */
    public String source() {
        return source;
    }

    /** What is wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}
