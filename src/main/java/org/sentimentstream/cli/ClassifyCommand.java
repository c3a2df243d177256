package org.sentimentstream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sentimentstream.app.Classifiers;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.SentimentClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code classify}: classifies texts with the model, without Kafka. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = {
            "Classifies texts without Kafka: the arguments, or else one text per line of standard input.",
            "Prints one JSON object per text: text, label, probabilities, model_name, model_version, truncated."
        })
final class ClassifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "TEXT",
            description = "Texts to classify (default: the lines of standard input).")
    private List<String> texts;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "ONNX model file (default: the model bundled in the jar).")
    private Path model;

    @Option(
            names = "--provider",
            defaultValue = "cpu",
            paramLabel = "cpu|cuda",
            description = "ONNX Runtime execution provider (default: ${DEFAULT-VALUE}).")
    private String provider;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "ONNX Runtime threads per model call, 0 for one per core (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(
            names = "--batch-size",
            defaultValue = "" + SentimentStreamConfig.DEFAULT_BATCH_MAX_RECORDS,
            description = "Most lines of input classified together (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Override
    public Integer call() throws IOException {
        if (model != null && !Files.isReadable(model)) {
            throw new UsageException("--model: cannot read the file " + model);
        }
        if (threads < 0 || batchSize < 1) {
            throw new UsageException("--threads must be 0 or more and --batch-size at least 1");
        }
        try (SentimentClassifier classifier = Classifiers.open(Optional.ofNullable(model), parseProvider(), threads)) {
            ClassificationPrinter printer =
                    new ClassificationPrinter(classifier, spec.commandLine().getOut());
            if (texts != null && !texts.isEmpty()) {
                for (int from = 0; from < texts.size(); from += batchSize) {
                    printer.classifyAndPrint(texts.subList(from, Math.min(texts.size(), from + batchSize)));
                }
            } else {
                BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                LineBatches.forEachBatch(stdin, batchSize, printer::classifyAndPrint);
            }
        }
        return ExitCodes.OK;
    }

    private ExecutionProvider parseProvider() {
        try {
            return ExecutionProvider.fromConfigValue(provider);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--provider: " + e.getMessage(), e);
        }
    }
}
