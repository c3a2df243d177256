package org.sentimentstream.model;

/**
 * What a {@link ReloadingClassifier} reports about replacements of its model file, for metrics. Called on
 * the watcher's thread; implementations must be quick and must not throw.
 */
public interface ModelReloadListener {

    /** Records nothing. */
    ModelReloadListener NONE = new ModelReloadListener() {};

    /** A new model file passed its checks and now classifies every batch that starts from here on. */
    default void applied(LoadedModel previous, LoadedModel next) {}

    /** A new model file was refused; the model that served before keeps serving. */
    default void refused(String file, String reason) {}
}
