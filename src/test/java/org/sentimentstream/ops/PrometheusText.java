package org.sentimentstream.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of a Prometheus text-format scrape, by series ({@code name} or {@code name{labels}} exactly as
 * written), for assertions in tests.
 */
public final class PrometheusText {

    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** Parses a scrape: every line that is not a comment is {@code series value}. */
    public static PrometheusText parse(String scrape) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new PrometheusText(samples);
    }

    /** The value of one series, or null when the scrape has none. */
    public Double value(String series) {
        return samples.get(series);
    }

    /** Whether some series has this metric name (with any labels). */
    public boolean hasMetric(String name) {
        return samples.keySet().stream().anyMatch(series -> series.equals(name) || series.startsWith(name + "{"));
    }

    /** Whether some series' metric name starts with {@code prefix}. */
    public boolean hasMetricStartingWith(String prefix) {
        return samples.keySet().stream().anyMatch(series -> series.startsWith(prefix));
    }

    /** The sum of the values of every series of a metric (all its label values). */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** All series, for messages. */
    public Map<String, Double> samples() {
        return samples;
    }

    @Override
    public String toString() {
        return samples.toString();
    }
}
