package org.sentimentstream.app;

import java.nio.file.Path;
import java.util.Optional;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.ModelDigest;
import org.sentimentstream.model.ModelLoader;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.ModelReloadListener;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.ReloadingClassifier;
import org.sentimentstream.model.SentimentClassifier;

/** Opens the classifier a configuration asks for: a model file, or the model bundled in the jar. */
public final class Classifiers {

    private Classifiers() {}

    /**
     * The classifier of the service's configuration ({@code model.path}, {@code model.provider},
     * {@code model.threads}).
     *
     * @throws org.sentimentstream.model.ModelLoadException when the model cannot be loaded or breaks
     *                                                      the model contract; the message says why
     */
    public static SentimentClassifier open(SentimentStreamConfig config) {
        return open(config, ModelReloadListener.NONE);
    }

    /**
     * The classifier of the service's configuration; with {@code model.path} set and a positive
     * {@code model.reload.interval.ms}, one that switches to a replacement of the file ({@link
     * ReloadingClassifier}), reporting replacements to {@code reloads}.
     *
     * @throws org.sentimentstream.model.ModelLoadException when the model cannot be loaded or breaks
     *                                                      the model contract; the message says why
     */
    public static SentimentClassifier open(SentimentStreamConfig config, ModelReloadListener reloads) {
        Optional<Path> path = config.modelPath();
        ModelDigest digest = config.modelDigest();
        if (path.isPresent() && !config.modelReloadInterval().isZero()) {
            return ReloadingClassifier.open(
                    path.get(), config.modelOptions(), digest, config.modelReloadInterval(), reloads);
        }
        ModelLoader loader = new ModelLoader(config.modelOptions(), digest);
        return new OnnxSentimentClassifier(path.map(loader::load).orElseGet(loader::loadBundled));
    }

    /**
     * Opens a model file, or the bundled model when {@code modelPath} is empty.
     *
     * @throws org.sentimentstream.model.ModelLoadException when the model cannot be loaded or breaks
     *                                                      the model contract; the message says why
     */
    public static SentimentClassifier open(Optional<Path> modelPath, ExecutionProvider provider, int threads) {
        return open(modelPath, ModelOptions.defaults().withProvider(provider).withIntraOpThreads(threads));
    }

    /** Opens a model file, or the bundled model when {@code modelPath} is empty, with these session options. */
    public static SentimentClassifier open(Optional<Path> modelPath, ModelOptions options) {
        return modelPath
                .map(path -> OnnxSentimentClassifier.open(path, options))
                .orElseGet(() -> OnnxSentimentClassifier.openBundled(options));
    }
}
