package org.sentimentstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.sentimentstream.app.StreamsProperties;
import org.sentimentstream.config.ConfigSources;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.ops.OpsServer;

/**
 * The deployment files agree with the service: every setting the Kubernetes manifests and the compose file pass
 * is one the service's configuration has, with a value it accepts; every HTTP path they name is one the service
 * serves; every port they name is the service's metrics port; and the manifests hang together (selectors, named
 * ports, volumes under a read-only root file system, the image's user). Offline schema validation is
 * deploy/ci/check-deploy.sh's job; running the image is ContainerImageIT's.
 */
class DeploymentFilesTest {

    /** The setting of the HTTP server's port (metrics and health). */
    private static final String METRICS_PORT = SentimentStreamConfig.METRICS_PORT_CONFIG;

    /**
     * The paths of the service's HTTP server, from the server itself. ContainerImageIT requests every path the
     * files name from the real image.
     */
    private static final String METRICS_PATH = OpsServer.METRICS_PATH;

    private static final String LIVE_PATH = OpsServer.LIVE_PATH;
    private static final String READY_PATH = OpsServer.READY_PATH;

    /** Environment variables other than settings that the files may set: the JVM's options. */
    private static final Set<String> OTHER_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    /** A static member's session must outlast a restart: at least Kafka's own default of 45 s. */
    private static final long MIN_STATIC_SESSION_TIMEOUT_MS = 45_000;

    /** The broker's default group.max.session.timeout.ms: a longer session is refused at join. */
    private static final long BROKER_MAX_SESSION_TIMEOUT_MS = 1_800_000;

    /** What the downward API gives a pod of the StatefulSet for {@code metadata.name}. */
    private static final String SAMPLE_POD_NAME = "sentiment-stream-0";

    @Test
    void shouldPassOnlyServiceSettingsWithValuesTheServiceAcceptsInTheKubernetesManifests() {
        List<JsonNode> containers = serviceContainers();
        assertThat(containers)
                .as("containers running the sentiment-stream image")
                .isNotEmpty();
        for (JsonNode container : containers) {
            assertAcceptedByTheService(kubernetesEnvironment(container), "Kubernetes container " + name(container));
        }
    }

    @Test
    void shouldLeaveTopicReplicationToTheClusterAndKeepTheSingleReplicaRefusalOn() {
        for (JsonNode container : serviceContainers()) {
            List<String> args = strings(container.path("args"));
            assertThat(args)
                    .as("Kubernetes: missing topics created with the cluster's defaults")
                    .contains("--create-topics")
                    .doesNotContain("--replication-factor", "--partitions");
            Map<String, String> environment = kubernetesEnvironment(container);
            assertThat(environment.getOrDefault(
                            ConfigSources.environmentVariable(SentimentStreamConfig.TOPICS_ALLOW_SINGLE_REPLICA_CONFIG),
                            "false"))
                    .isEqualTo("false");
            assertThat(environment)
                    .containsKey(ConfigSources.environmentVariable(
                            SentimentStreamConfig.STREAM_THREAD_REPLACEMENTS_MAX_CONFIG));
        }
        JsonNode compose = composeServices().get("sentiment-stream");
        assertThat(strings(compose.path("command"))).doesNotContain("--replication-factor");
        assertThat(composeEnvironment(compose))
                .doesNotContainKey(
                        ConfigSources.environmentVariable(SentimentStreamConfig.TOPICS_ALLOW_SINGLE_REPLICA_CONFIG));
    }

    @Test
    void shouldPassOnlyServiceSettingsWithValuesTheServiceAcceptsInTheComposeFile() {
        Map<String, JsonNode> services = composeServices();
        assertThat(services).containsKeys("kafka", "sentiment-stream", "prometheus");
        assertAcceptedByTheService(composeEnvironment(services.get("sentiment-stream")), "compose service");
    }

    @Test
    void shouldPointTheComposeServiceAtTheComposeBrokerThroughItsNetworkNamespace() {
        Map<String, JsonNode> services = composeServices();
        List<String> brokerCommand = strings(services.get("kafka").path("command"));
        assertThat(brokerCommand)
                .as("the kafka service runs the project's broker")
                .startsWith("broker");
        String brokerPort = brokerCommand.get(brokerCommand.indexOf("--port") + 1);
        for (String shared : List.of("sentiment-stream", "prometheus")) {
            assertThat(services.get(shared).path("network_mode").asText())
                    .as("%s shares the broker's network namespace (the broker listens on 127.0.0.1)", shared)
                    .isEqualTo("service:kafka");
        }
        assertThat(composeEnvironment(services.get("sentiment-stream")))
                .containsEntry(
                        ConfigSources.environmentVariable(SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG),
                        "127.0.0.1:" + brokerPort);
    }

    @Test
    void shouldProbeTheHealthEndpointsAndScrapeTheMetricsEndpoint() {
        for (JsonNode container : serviceContainers()) {
            assertThat(container
                            .path("livenessProbe")
                            .path("httpGet")
                            .path("path")
                            .asText())
                    .as("liveness probe of %s", name(container))
                    .isEqualTo(LIVE_PATH);
            assertThat(container
                            .path("readinessProbe")
                            .path("httpGet")
                            .path("path")
                            .asText())
                    .as("readiness probe of %s", name(container))
                    .isEqualTo(READY_PATH);
            if (container.has("startupProbe")) {
                assertThat(container
                                .path("startupProbe")
                                .path("httpGet")
                                .path("path")
                                .asText())
                        .as("startup probe of %s", name(container))
                        .isEqualTo(LIVE_PATH);
            }
        }
        assertThat(DeploymentFiles.healthCheckPath())
                .as("the image's health check")
                .isEqualTo(READY_PATH);
        Map<String, String> named = DeploymentFiles.namedHttpPaths();
        assertThat(named).containsKeys("prometheus.io/path annotation", "prometheus.yml job sentiment-stream");
        assertThat(named.get("prometheus.io/path annotation")).isEqualTo(METRICS_PATH);
        assertThat(named.get("prometheus.yml job sentiment-stream")).isEqualTo(METRICS_PATH);
        assertThat(named.values()).allSatisfy(path -> assertThat(path).isIn(METRICS_PATH, LIVE_PATH, READY_PATH));
    }

    @Test
    void shouldReferOnlyToContainerPortsThatTheContainerDeclares() {
        for (JsonNode deployment : DeploymentFiles.workloads()) {
            JsonNode pod = deployment.path("spec").path("template");
            Map<String, Integer> declared = new HashMap<>();
            for (JsonNode container : pod.path("spec").path("containers")) {
                for (JsonNode port : container.path("ports")) {
                    declared.put(
                            port.path("name").asText(),
                            port.path("containerPort").asInt());
                }
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    JsonNode port = container.path(probe).path("httpGet").path("port");
                    if (!port.isMissingNode()) {
                        assertThat(resolve(port, declared))
                                .as("port of %s's %s", name(container), probe)
                                .isIn(declared.values());
                    }
                }
            }
            for (JsonNode service : DeploymentFiles.kubernetesResources("Service")) {
                for (JsonNode port : service.path("spec").path("ports")) {
                    assertThat(resolve(port.path("targetPort"), declared))
                            .as("targetPort of Service %s", name(service))
                            .isIn(declared.values());
                }
            }
            JsonNode scrapePort = pod.path("metadata").path("annotations").path("prometheus.io/port");
            assertThat(Integer.parseInt(scrapePort.asText()))
                    .as("prometheus.io/port")
                    .isIn(declared.values());
        }
    }

    @Test
    void shouldServeMetricsAndHealthOnThePortThatEveryFileNames() {
        ConfigDef.ConfigKey portSetting =
                SentimentStreamConfig.configDef().configKeys().get(METRICS_PORT);
        int defaultPort = (Integer) portSetting.defaultValue;
        String variable = ConfigSources.environmentVariable(METRICS_PORT);

        for (JsonNode container : serviceContainers()) {
            int port = Integer.parseInt(
                    kubernetesEnvironment(container).getOrDefault(variable, Integer.toString(defaultPort)));
            for (JsonNode declared : container.path("ports")) {
                assertThat(declared.path("containerPort").asInt())
                        .as("container port %s of %s", declared.path("name").asText(), name(container))
                        .isEqualTo(port);
            }
        }
        for (JsonNode deployment : DeploymentFiles.workloads()) {
            assertThat(deployment
                            .path("spec")
                            .path("template")
                            .path("metadata")
                            .path("annotations")
                            .path("prometheus.io/port")
                            .asText())
                    .isEqualTo(Integer.toString(defaultPort));
        }

        Map<String, JsonNode> services = composeServices();
        int composePort = Integer.parseInt(
                composeEnvironment(services.get("sentiment-stream")).getOrDefault(variable, "" + defaultPort));
        List<String> published = strings(services.get("kafka").path("ports"));
        assertThat(published)
                .as("the compose file publishes the metrics port")
                .anySatisfy(mapping -> assertThat(mapping).endsWith(":" + composePort));
        for (JsonNode job : DeploymentFiles.prometheus().path("scrape_configs")) {
            assertThat(strings(job.path("static_configs").path(0).path("targets")))
                    .as("Prometheus' targets")
                    .containsExactly("127.0.0.1:" + composePort);
        }

        assertThat(DeploymentFiles.exposedPorts()).as("the Dockerfile's EXPOSE").containsExactly(defaultPort);
        assertThat(DeploymentFiles.healthCheckDefaultPort())
                .as("the health check's port")
                .isEqualTo(defaultPort);
    }

    @Test
    void shouldKeepEveryWritableDirectoryOnAVolumeUnderAReadOnlyRootFileSystem() {
        for (JsonNode container : serviceContainers()) {
            assertThat(container
                            .path("securityContext")
                            .path("readOnlyRootFilesystem")
                            .asBoolean())
                    .as("readOnlyRootFilesystem of %s", name(container))
                    .isTrue();
            List<String> mounts = new ArrayList<>();
            container
                    .path("volumeMounts")
                    .forEach(m -> mounts.add(m.path("mountPath").asText()));
            String stateDir = kubernetesEnvironment(container)
                    .get(ConfigSources.environmentVariable(SentimentStreamConfig.STATE_DIR_CONFIG));
            assertThat(stateDir)
                    .as("state.dir is set (Kafka Streams writes to it)")
                    .isNotNull();
            assertThat(mounts)
                    .as("volume mounts of %s: state.dir and java.io.tmpdir", name(container))
                    .contains(stateDir, "/tmp");
        }
    }

    @Test
    void shouldRunThePodsAsTheImagesUnprivilegedUser() {
        int imageUser = DeploymentFiles.imageUserId().orElseThrow();
        assertThat(imageUser).as("the Dockerfile's USER").isNotZero();
        for (JsonNode deployment : DeploymentFiles.workloads()) {
            JsonNode security =
                    deployment.path("spec").path("template").path("spec").path("securityContext");
            assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(security.path("runAsUser").asInt()).isEqualTo(imageUser);
        }
    }

    @Test
    void shouldSelectTheWorkloadsPodsFromItsServiceAndDisruptionBudget() {
        List<JsonNode> deployments = DeploymentFiles.workloads();
        assertThat(deployments).hasSize(1);
        JsonNode deployment = deployments.get(0);
        Map<String, String> podLabels = stringMap(
                deployment.path("spec").path("template").path("metadata").path("labels"));
        assertThat(podLabels)
                .containsAllEntriesOf(
                        stringMap(deployment.path("spec").path("selector").path("matchLabels")));
        for (JsonNode service : DeploymentFiles.kubernetesResources("Service")) {
            assertThat(podLabels)
                    .containsAllEntriesOf(stringMap(service.path("spec").path("selector")));
        }
        List<JsonNode> budgets = DeploymentFiles.kubernetesResources("PodDisruptionBudget");
        assertThat(budgets).hasSize(1);
        assertThat(podLabels)
                .containsAllEntriesOf(
                        stringMap(budgets.get(0).path("spec").path("selector").path("matchLabels")));
    }

    @Test
    void shouldMakeEveryPodAStaticMemberNamedAfterItsStablePodName() {
        List<JsonNode> workloads = DeploymentFiles.workloads();
        assertThat(workloads).hasSize(1);
        JsonNode workload = workloads.get(0);
        assertThat(workload.path("kind").asText())
                .as("pod names survive a restart only in a StatefulSet")
                .isEqualTo("StatefulSet");
        assertThat(workload.path("spec").path("serviceName").asText())
                .as("the StatefulSet's governing Service is one of the manifests'")
                .isIn(DeploymentFiles.kubernetesResources("Service").stream()
                        .map(DeploymentFilesTest::name)
                        .toList());
        for (JsonNode container : serviceContainers()) {
            JsonNode instanceId = environmentEntry(container, SentimentStreamConfig.GROUP_INSTANCE_ID_CONFIG);
            assertThat(instanceId
                            .path("valueFrom")
                            .path("fieldRef")
                            .path("fieldPath")
                            .asText())
                    .as("group.instance.id of %s comes from the downward API's pod name", name(container))
                    .isEqualTo("metadata.name");
            SentimentStreamConfig config =
                    new SentimentStreamConfig(ConfigSources.fromEnvironment(kubernetesEnvironment(container)));
            assertThat(StreamsProperties.of(config))
                    .as("a restart must fit in the session of a static member (Kafka's default is 45 s)")
                    .containsKey("session.timeout.ms");
            assertThat(Long.parseLong(StreamsProperties.of(config).getProperty("session.timeout.ms")))
                    .isBetween(MIN_STATIC_SESSION_TIMEOUT_MS, BROKER_MAX_SESSION_TIMEOUT_MS);
        }
        assertThat(composeEnvironment(composeServices().get("sentiment-stream")))
                .as("the compose service is a static member too")
                .containsKey(ConfigSources.environmentVariable(SentimentStreamConfig.GROUP_INSTANCE_ID_CONFIG));
    }

    @Test
    void shouldKeepAStandbyOfEveryTaskAndReplicateInternalTopicsInKubernetes() {
        for (JsonNode container : serviceContainers()) {
            SentimentStreamConfig config =
                    new SentimentStreamConfig(ConfigSources.fromEnvironment(kubernetesEnvironment(container)));
            assertThat(StreamsProperties.of(config))
                    .as("settings of %s", name(container))
                    .containsEntry("num.standby.replicas", "1")
                    .containsEntry("replication.factor", "3")
                    .containsEntry("topic.min.insync.replicas", "2");
        }
        assertThat(composeEnvironment(composeServices().get("sentiment-stream")))
                .containsEntry(ConfigSources.environmentVariable("num.standby.replicas"), "1");
    }

    /** The {@code env} entry of a container that sets {@code setting}. */
    private static JsonNode environmentEntry(JsonNode container, String setting) {
        String variable = ConfigSources.environmentVariable(setting);
        for (JsonNode entry : container.path("env")) {
            if (entry.path("name").asText().equals(variable)) {
                return entry;
            }
        }
        throw new AssertionError(name(container) + " has no env entry " + variable);
    }

    /** Each variable is a setting of the service (or JAVA_TOOL_OPTIONS), and the service accepts the values. */
    private static void assertAcceptedByTheService(Map<String, String> environment, String where) {
        Set<String> unknown = new TreeSet<>();
        for (String variable : environment.keySet()) {
            if (OTHER_VARIABLES.contains(variable)) {
                continue;
            }
            String setting = ConfigSources.settingName(variable).orElse(null);
            if (setting == null || !isServiceSetting(setting)) {
                unknown.add(variable);
            }
        }
        assertThat(unknown)
                .as("variables of %s that are no setting of the service (run --list-settings)", where)
                .isEmpty();
        Map<String, String> settings = ConfigSources.fromEnvironment(environment);
        assertThatCode(() -> new SentimentStreamConfig(settings))
                .as("the service's configuration accepts the settings of %s: %s", where, settings)
                .doesNotThrowAnyException();
    }

    /** A setting of the service itself, or a Kafka client or Streams setting that it passes on. */
    private static boolean isServiceSetting(String setting) {
        return SentimentStreamConfig.configDef().names().contains(setting)
                || SentimentStreamConfig.isKafkaSetting(setting);
    }

    /** The containers of the manifests' workloads that run the service's image. */
    private static List<JsonNode> serviceContainers() {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode deployment : DeploymentFiles.workloads()) {
            for (JsonNode container :
                    deployment.path("spec").path("template").path("spec").path("containers")) {
                if (container.path("image").asText().startsWith("sentiment-stream:")) {
                    containers.add(container);
                }
            }
        }
        return containers;
    }

    /** A container's environment: every ConfigMap of its envFrom (which must exist), then its env entries. */
    private static Map<String, String> kubernetesEnvironment(JsonNode container) {
        Map<String, JsonNode> configMaps = new HashMap<>();
        DeploymentFiles.kubernetesResources("ConfigMap")
                .forEach(c -> configMaps.put(c.path("metadata").path("name").asText(), c));
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMap = source.path("configMapRef").path("name").asText();
            assertThat(configMaps).as("ConfigMaps of the manifests").containsKey(configMap);
            environment.putAll(stringMap(configMaps.get(configMap).path("data")));
        }
        for (JsonNode variable : container.path("env")) {
            String fieldPath = variable.path("valueFrom")
                    .path("fieldRef")
                    .path("fieldPath")
                    .asText();
            environment.put(
                    variable.path("name").asText(),
                    fieldPath.equals("metadata.name")
                            ? SAMPLE_POD_NAME
                            : variable.path("value").asText());
        }
        return environment;
    }

    private static Map<String, JsonNode> composeServices() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        DeploymentFiles.compose().path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    /** A compose service's environment, in map or list ({@code NAME=value}) form. */
    private static Map<String, String> composeEnvironment(JsonNode service) {
        JsonNode environment = service.path("environment");
        if (!environment.isArray()) {
            return stringMap(environment);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : strings(environment)) {
            int equals = entry.indexOf('=');
            variables.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        return variables;
    }

    /** A port reference by number or by the name of a declared container port. */
    private static int resolve(JsonNode port, Map<String, Integer> declared) {
        if (port.isInt()) {
            return port.asInt();
        }
        assertThat(declared).as("container ports").containsKey(port.asText());
        return declared.get(port.asText());
    }

    private static String name(JsonNode node) {
        return node.has("metadata")
                ? node.path("metadata").path("name").asText()
                : node.path("name").asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }
}
