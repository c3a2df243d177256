package org.sentimentstream.app;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.LoadedModel;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.ModelReloadListener;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.ReloadingClassifier;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.ops.Health;
import org.sentimentstream.ops.OpsServer;
import org.sentimentstream.ops.ServiceMetrics;
import org.sentimentstream.stream.ProcessingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's operations side, wired from its configuration: the metrics registry (Prometheus) with the
 * service's own metrics, Kafka Streams' client and thread metrics and the JVM's, the health verdicts, and
 * the HTTP server that shows them ({@code metrics.port}, {@code metrics.address}). With
 * {@code metrics.port=-1} there is no server and nothing is recorded.
 */
final class ServiceOperations implements ModelReloadListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceOperations.class);

    private final SentimentStreamConfig config;
    private final PrometheusMeterRegistry registry;
    private final ServiceMetrics metrics;
    private final Health health;
    private final List<AutoCloseable> binders = new ArrayList<>();
    private volatile String servingModel;
    private OpsServer server;

    ServiceOperations(SentimentStreamConfig config) {
        this.config = config;
        this.health = new Health(() -> servingModel, config.healthReadyRebalancingMax(), System::nanoTime);
        if (config.metricsPort() == SentimentStreamConfig.METRICS_OFF) {
            registry = null;
            metrics = null;
        } else {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics = new ServiceMetrics(registry);
            bind(new JvmMemoryMetrics());
            bind(new JvmGcMetrics());
            bind(new JvmThreadMetrics());
            bind(new ClassLoaderMetrics());
            bind(new ProcessorMetrics());
            bind(new UptimeMetrics());
        }
    }

    private void bind(MeterBinder binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            binders.add(closeable);
        }
    }

    /** What the topology records into. */
    ProcessingMetrics processingMetrics() {
        return metrics != null ? metrics : ProcessingMetrics.NONE;
    }

    Health health() {
        return health;
    }

    /** The model now serving: shown in the info metric and the readiness body. */
    void modelServing(SentimentClassifier classifier) {
        ModelInfo info = classifier.info();
        servingModel = info.name() + " " + info.version();
        if (metrics == null) {
            return;
        }
        info.labels().forEach(metrics::expectLabel);
        LoadedModel loaded = classifier instanceof ReloadingClassifier reloading
                ? reloading.currentModel()
                : classifier instanceof OnnxSentimentClassifier onnx ? onnx.model() : null;
        if (loaded != null) {
            metrics.modelServing(loaded);
        } else {
            metrics.modelServing(info.name(), info.version(), "unknown");
        }
    }

    @Override
    public void applied(LoadedModel previous, LoadedModel next) {
        servingModel = next.metadata().name() + " " + next.metadata().version();
        if (metrics != null) {
            metrics.applied(previous, next);
        }
    }

    @Override
    public void refused(String file, String reason) {
        if (metrics != null) {
            metrics.refused(file, reason);
        }
    }

    /** A failed stream thread was replaced: counted in {@code sentiment_stream_thread_replacements_total}. */
    void streamThreadReplaced() {
        if (metrics != null) {
            metrics.streamThreadReplaced();
        }
    }

    /** Adds Kafka Streams' own client, thread and task metrics. */
    void bindKafkaStreams(KafkaStreams streams) {
        if (registry != null) {
            bind(new KafkaStreamsMetrics(streams));
        }
    }

    /**
     * Starts the HTTP server unless {@code metrics.port} is -1.
     *
     * @throws ConfigException naming {@code metrics.port} when the address cannot be bound
     */
    void startServer() {
        if (registry == null) {
            LOG.info("No metrics or health server (metrics.port=-1)");
            return;
        }
        InetSocketAddress address = new InetSocketAddress(config.metricsAddress(), config.metricsPort());
        if (address.isUnresolved()) {
            throw new ConfigException(
                    SentimentStreamConfig.METRICS_ADDRESS_CONFIG,
                    config.metricsAddress(),
                    "Not an address of this host (it does not resolve)");
        }
        try {
            server = OpsServer.start(address, registry::scrape, health);
        } catch (IOException e) {
            throw new ConfigException(
                    SentimentStreamConfig.METRICS_PORT_CONFIG,
                    config.metricsPort(),
                    "Cannot listen on " + config.metricsAddress() + ":" + config.metricsPort() + " ("
                            + e.getMessage() + "); choose another " + SentimentStreamConfig.METRICS_PORT_CONFIG
                            + ", 0 for any free port, or -1 for no metrics server");
        }
    }

    /** The address of the running HTTP server. */
    Optional<InetSocketAddress> address() {
        return Optional.ofNullable(server).map(OpsServer::address);
    }

    /** After the model was closed: readiness says so. */
    void modelClosed() {
        servingModel = null;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                LOG.warn(
                        "Closing the metrics binder {} failed: {}",
                        binder.getClass().getSimpleName(),
                        e.getMessage());
            }
        }
        if (registry != null) {
            registry.close();
        }
    }
}
