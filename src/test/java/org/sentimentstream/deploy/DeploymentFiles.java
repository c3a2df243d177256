package org.sentimentstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The deployment files under {@code deploy/} as data: the Kubernetes manifests, the compose file, Prometheus'
 * configuration, the Dockerfile and the image's health check. Paths are relative to the repository root (the
 * working directory of Maven's test runs). Shared by {@link DeploymentFilesTest} and {@code ContainerImageIT}.
 */
public final class DeploymentFiles {

    public static final Path DEPLOY = Path.of("deploy");
    public static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");
    public static final Path COMPOSE_FILE = DEPLOY.resolve("docker-compose.yml");
    public static final Path PROMETHEUS_FILE = DEPLOY.resolve("prometheus.yml");
    public static final Path HEALTH_CHECK = DEPLOY.resolve("healthcheck.sh");
    public static final Path KUBERNETES = DEPLOY.resolve("kubernetes");

    private static final ObjectReader YAML = new YAMLMapper().readerFor(JsonNode.class);
    private static final Pattern HEALTH_CHECK_PATH = Pattern.compile("path=\\$\\{1:-(/[^}]*)}");
    private static final Pattern HEALTH_CHECK_PORT = Pattern.compile("port=\\$\\{SENTIMENT_METRICS_PORT:-(\\d+)}");

    private DeploymentFiles() {}

    /** Every resource of every manifest in {@code deploy/kubernetes}. */
    public static List<JsonNode> kubernetesResources() {
        List<JsonNode> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode resource :
                        YAML.<JsonNode>readValues(file.toFile()).readAll()) {
                    if (resource != null && !resource.isEmpty()) {
                        resources.add(resource);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resources;
    }

    /** The resources of one kind ({@code Deployment}, {@code ConfigMap}, ...). */
    public static List<JsonNode> kubernetesResources(String kind) {
        return kubernetesResources().stream()
                .filter(r -> kind.equals(r.path("kind").asText()))
                .toList();
    }

    /** The workloads that run pods: Deployments and StatefulSets. */
    public static List<JsonNode> workloads() {
        return kubernetesResources().stream()
                .filter(r -> List.of("Deployment", "StatefulSet")
                        .contains(r.path("kind").asText()))
                .toList();
    }

    /** The compose file. */
    public static JsonNode compose() {
        return readYaml(COMPOSE_FILE);
    }

    /** Prometheus' configuration for the compose file. */
    public static JsonNode prometheus() {
        return readYaml(PROMETHEUS_FILE);
    }

    /** The Dockerfile's lines. */
    public static List<String> dockerfile() {
        return readLines(DOCKERFILE);
    }

    /** The path the image's health check requests unless given another. */
    public static String healthCheckPath() {
        return matchIn(HEALTH_CHECK, HEALTH_CHECK_PATH);
    }

    /** The port the image's health check uses when SENTIMENT_METRICS_PORT is not set. */
    public static int healthCheckDefaultPort() {
        return Integer.parseInt(matchIn(HEALTH_CHECK, HEALTH_CHECK_PORT));
    }

    /**
     * Every HTTP path of the service that the deployment files name, with where: the Kubernetes probes and
     * scrape annotation, Prometheus' {@code metrics_path} and the image's health check.
     */
    public static Map<String, String> namedHttpPaths() {
        Map<String, String> paths = new TreeMap<>();
        for (JsonNode workload : workloads()) {
            JsonNode pod = workload.path("spec").path("template");
            for (JsonNode container : pod.path("spec").path("containers")) {
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    JsonNode path = container.path(probe).path("httpGet").path("path");
                    if (!path.isMissingNode()) {
                        paths.put(workload.path("metadata").path("name").asText() + " " + probe, path.asText());
                    }
                }
            }
            JsonNode annotation = pod.path("metadata").path("annotations").path("prometheus.io/path");
            if (!annotation.isMissingNode()) {
                paths.put("prometheus.io/path annotation", annotation.asText());
            }
        }
        for (JsonNode job : prometheus().path("scrape_configs")) {
            paths.put(
                    "prometheus.yml job " + job.path("job_name").asText(),
                    job.path("metrics_path").asText("/metrics"));
        }
        paths.put("healthcheck.sh", healthCheckPath());
        return paths;
    }

    /** The image's unprivileged user id, from the Dockerfile's last {@code USER} line. */
    public static Optional<Integer> imageUserId() {
        List<String> users = dockerfile().stream()
                .filter(line -> line.startsWith("USER "))
                .map(line -> line.substring("USER ".length()).trim().split(":")[0])
                .toList();
        return users.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(users.get(users.size() - 1)));
    }

    /** The ports the Dockerfile's {@code EXPOSE} lines name. */
    public static TreeSet<Integer> exposedPorts() {
        TreeSet<Integer> ports = new TreeSet<>();
        for (String line : dockerfile()) {
            if (line.startsWith("EXPOSE ")) {
                for (String port : line.substring("EXPOSE ".length()).trim().split("\\s+")) {
                    ports.add(Integer.parseInt(port.replace("/tcp", "")));
                }
            }
        }
        return ports;
    }

    /** The value of the Dockerfile's {@code ARG name=...} line (the first one). */
    public static Optional<String> dockerfileArgument(String name) {
        return dockerfile().stream()
                .filter(line -> line.startsWith("ARG " + name + "="))
                .map(line -> line.substring(("ARG " + name + "=").length()).trim())
                .findFirst();
    }

    private static JsonNode readYaml(Path file) {
        try {
            return YAML.readValue(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String matchIn(Path file, Pattern pattern) {
        Matcher matcher = pattern.matcher(String.join("\n", readLines(file)));
        if (!matcher.find()) {
            throw new IllegalStateException(file + " has no line matching " + pattern);
        }
        return matcher.group(1);
    }
}
