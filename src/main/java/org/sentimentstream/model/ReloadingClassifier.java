package org.sentimentstream.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.sentimentstream.tokenizer.Tokenizer;
import org.sentimentstream.tokenizer.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SentimentClassifier} over a model file that may be replaced while the service runs (hot reload).
 *
 * <p><b>Noticing a replacement.</b> A watcher thread looks at the file every {@code interval}: its inode
 * (file key), size and modification time, read through symbolic links. Polling rather than a
 * {@code WatchService}: an atomic rename over the file gives it a new inode, which a poll always sees,
 * while directory events depend on the file system (none over NFS and many container volume drivers, and
 * Kubernetes swaps a ConfigMap's files by renaming a symbolic link to a folder, an event on another
 * directory); one {@code stat} per interval costs nothing. A change is acted on once the file has looked
 * the same on two checks in a row, so a file copied in place (not renamed) is read when the copy is done,
 * not half-way. A file whose bytes are those of the serving model (a {@code touch}) is not reloaded.
 *
 * <p><b>Checks.</b> The new file is loaded and checked as at start-up ({@link ModelLoader}: the model
 * contract), must pass the {@link ModelSelfCheck} (it classifies short, typical and maximum-length texts into
 * finite probabilities: a file with NaN weights loads but is refused here), and must keep the serving model's
 * labels (same names, same order) and tokenizer specification: outputs and dead-letter rules depend on both, so a change of either needs a restart. The
 * vocabulary, the maximum length and the weights may change: token ids are looked up per model in
 * {@link #classify}. A file that fails is refused with one WARN line and {@link ModelReloadListener#refused};
 * the serving model keeps serving, and the same file is not tried again until it changes.
 *
 * <p><b>Switching.</b> Each {@link #classify} call pins the model that is current when it starts and uses
 * it for the whole call, so every prediction of a call comes from one model and names it
 * ({@link Prediction#model()}). A new model is switched in atomically; calls that started before finish on
 * the old one, whose session is closed when the last of them returns (a reference count per model: one
 * reference for being current, one per call in progress). Tokenization does not depend on the model (the
 * tokenizer specification cannot change), so texts tokenized before a switch are classified after it.
 */
public final class ReloadingClassifier implements SentimentClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingClassifier.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /** What a check found. */
    public enum Check {
        /** The file looks as it did at the last decision. */
        UNCHANGED,
        /** The file changed since the last check; it is acted on if it looks the same at the next one. */
        SETTLING,
        /** The file cannot be read (missing, say): the serving model keeps serving. */
        UNREADABLE,
        /** The file changed but holds the serving model's bytes. */
        SAME_CONTENT,
        /** The new model passed its checks and was switched in. */
        APPLIED,
        /** The new model was refused; the serving model keeps serving. */
        REFUSED,
        /** The classifier is closed. */
        CLOSED
    }

    /** What identifies a version of the file without reading it: an atomic rename gives a new file key. */
    private record FileState(Object fileKey, FileTime modified, long size) {}

    private final Path file;
    private final ModelLoader loader;
    private final ModelReloadListener listener;
    private final Tokenizer tokenizer = new Tokenizer();
    private final AtomicReference<Serving> current = new AtomicReference<>();
    private final ScheduledExecutorService watcher;
    /** One check at a time (the watcher's, or a caller's {@link #checkNow()}); guards the fields below. */
    private final Object checkLock = new Object();

    private FileState decided;
    private FileState pending;
    private boolean unreadableReported;
    private boolean closed;
    private volatile LoadedModel latest;

    private ReloadingClassifier(
            Path file, ModelLoader loader, ModelReloadListener listener, LoadedModel initial, FileState state) {
        this.file = file;
        this.loader = loader;
        this.listener = listener;
        this.current.set(new Serving(new OnnxSentimentClassifier(initial)));
        this.latest = initial;
        this.decided = state;
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "model-reload-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads the model file and, when {@code interval} is positive, watches it for replacements every
     * {@code interval}; with a zero interval the file is only checked by {@link #checkNow()}.
     *
     * @throws ModelLoadException when the file cannot be loaded or breaks the model contract
     */
    public static ReloadingClassifier open(
            Path file, ModelOptions options, Duration interval, ModelReloadListener listener) {
        return open(file, options, ModelDigest.ANY, interval, listener);
    }

    /**
     * As {@link #open(Path, ModelOptions, Duration, ModelReloadListener)}, trusting only files whose bytes
     * match {@code digest}: a replacement that does not is refused like any other invalid file.
     */
    public static ReloadingClassifier open(
            Path file, ModelOptions options, ModelDigest digest, Duration interval, ModelReloadListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the reload interval must not be negative, was " + interval);
        }
        ModelLoader loader = new ModelLoader(options, digest);
        // The state first: a replacement during the load is then seen as a change (and, holding the bytes
        // just loaded, not reloaded).
        FileState state = readStateOrNull(file);
        LoadedModel initial = loader.load(file);
        ReloadingClassifier classifier = new ReloadingClassifier(file, loader, listener, initial, state);
        if (!interval.isZero()) {
            classifier.watcher.scheduleWithFixedDelay(
                    classifier::checkFromWatcher, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Watching {} for a new model every {} ms (model.reload.interval.ms)", file, interval.toMillis());
        }
        return classifier;
    }

    @Override
    public ModelInfo info() {
        return latest.metadata().info();
    }

    /** The model that classifies the calls starting now. */
    public LoadedModel currentModel() {
        return latest;
    }

    @Override
    public Tokens tokenize(String text) {
        return Tokens.of(tokenizer, text);
    }

    @Override
    public List<Prediction> classify(List<Tokens> batch) {
        Serving serving = acquire();
        try {
            return serving.classifier().classify(batch);
        } finally {
            serving.release();
        }
    }

    /** Pins the current model for one call: the caller must {@link Serving#release()} it. */
    Serving acquire() {
        while (true) {
            Serving serving = current.get();
            if (serving == null) {
                throw new IllegalStateException("the classifier of " + file + " is closed");
            }
            if (serving.retain()) {
                return serving;
            }
            // Replaced and released between get() and retain(): the next get() sees its successor.
        }
    }

    /** Checks the file once, now, and switches to a new model if there is one; returns what it found. */
    public Check checkNow() {
        synchronized (checkLock) {
            if (closed) {
                return Check.CLOSED;
            }
            FileState state;
            try {
                state = readState(file);
            } catch (IOException e) {
                if (!unreadableReported) {
                    unreadableReported = true;
                    LOG.warn(
                            "Model file {} cannot be read ({}: {}); still serving {} {}",
                            file,
                            e.getClass().getSimpleName(),
                            e.getMessage(),
                            latest.metadata().name(),
                            latest.metadata().version());
                }
                pending = null;
                return Check.UNREADABLE;
            }
            unreadableReported = false;
            if (state.equals(decided)) {
                pending = null;
                return Check.UNCHANGED;
            }
            if (!state.equals(pending)) {
                pending = state;
                return Check.SETTLING;
            }
            pending = null;
            decided = state;
            return reload();
        }
    }

    private void checkFromWatcher() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log it and keep watching.
            LOG.warn("Checking the model file {} failed: {}", file, e.getMessage(), e);
        }
    }

    /** Reads and checks the new file, and switches to it. Called with {@link #checkLock} held. */
    private Check reload() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            decided = null;
            LOG.warn("Model file {} changed but cannot be read ({}); still serving", file, e.getMessage());
            return Check.UNREADABLE;
        }
        LoadedModel serving = latest;
        String sha256 = ModelLoader.sha256Hex(bytes);
        if (sha256.equals(serving.fileSha256())) {
            LOG.debug("Model file {} changed but holds the serving model (sha256 {})", file, sha256);
            return Check.SAME_CONTENT;
        }
        LoadedModel next;
        try {
            next = loader.load(bytes, file.toAbsolutePath().toString());
        } catch (ModelLoadException e) {
            return refuse(sha256, e.getMessage());
        }
        String broken = reloadRuleBroken(serving, next);
        if (broken != null) {
            next.close();
            return refuse(sha256, file.toAbsolutePath() + ": " + broken);
        }
        OnnxSentimentClassifier candidate = new OnnxSentimentClassifier(next);
        Optional<String> failedSelfCheck;
        try {
            failedSelfCheck = ModelSelfCheck.problem(candidate);
        } catch (RuntimeException e) {
            candidate.close();
            throw e;
        }
        if (failedSelfCheck.isPresent()) {
            candidate.close();
            return refuse(sha256, file.toAbsolutePath() + ": " + failedSelfCheck.get());
        }
        Serving previous = current.getAndSet(new Serving(candidate));
        latest = next;
        LOG.info(
                "Model reloaded from {}: {} {} (sha256 {}) replaces {} {}; calls already running finish on the"
                        + " old one",
                file,
                next.metadata().name(),
                next.metadata().version(),
                sha256,
                serving.metadata().name(),
                serving.metadata().version());
        try {
            listener.applied(serving, next);
        } finally {
            // Even when the listener throws: the old model must not stay open for good.
            previous.retire();
        }
        return Check.APPLIED;
    }

    private Check refuse(String sha256, String reason) {
        LoadedModel serving = latest;
        LOG.warn(
                "Refused the new model file {} (sha256 {}): {}; still serving {} {}",
                file,
                sha256,
                reason,
                serving.metadata().name(),
                serving.metadata().version());
        listener.refused(file.toString(), reason);
        return Check.REFUSED;
    }

    /** Which reload rule the next model breaks, or null: labels and tokenizer must stay as they are. */
    static String reloadRuleBroken(LoadedModel serving, LoadedModel next) {
        ModelMetadata before = serving.metadata();
        ModelMetadata after = next.metadata();
        if (!after.labels().equals(before.labels())) {
            return "its labels " + after.labels() + " differ from the serving model's " + before.labels()
                    + " (a change of labels needs a restart)";
        }
        if (!after.tokenizer().equals(before.tokenizer())) {
            return "its tokenizer " + after.tokenizer() + " differs from the serving model's " + before.tokenizer()
                    + " (a change of tokenizer needs a restart)";
        }
        return null;
    }

    private static FileState readState(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileState(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    }

    private static FileState readStateOrNull(Path file) {
        try {
            return readState(file);
        } catch (IOException e) {
            return null; // the load that follows reports the problem
        }
    }

    /** Stops watching, then closes the model once no call uses it. */
    @Override
    public void close() {
        watcher.shutdownNow();
        try {
            if (!watcher.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The model reload watcher did not stop within {} s", CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (checkLock) {
            closed = true;
            Serving serving = current.getAndSet(null);
            if (serving != null) {
                serving.release();
            }
        }
    }

    /**
     * A model with a reference count: one reference while it is current, one per call in progress. The
     * session is closed when the count drops to zero, which happens only after it stopped being current.
     */
    static final class Serving {

        private final OnnxSentimentClassifier classifier;
        private final AtomicInteger references = new AtomicInteger(1);
        private volatile boolean replaced;

        Serving(OnnxSentimentClassifier classifier) {
            this.classifier = classifier;
        }

        OnnxSentimentClassifier classifier() {
            return classifier;
        }

        /** Takes a reference unless the model is already closed (count zero). */
        boolean retain() {
            while (true) {
                int count = references.get();
                if (count == 0) {
                    return false;
                }
                if (references.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        /** Drops the reference of being current, after a new model replaced this one. */
        void retire() {
            replaced = true;
            release();
        }

        /** Drops a reference; the last one closes the session. */
        void release() {
            if (references.decrementAndGet() == 0) {
                classifier.close();
                if (replaced) {
                    ModelInfo info = classifier.info();
                    LOG.info("Closed the replaced model {} {}: no call uses it any more", info.name(), info.version());
                }
            }
        }
    }
}
