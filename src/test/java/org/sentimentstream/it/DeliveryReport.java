package org.sentimentstream.it;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What came out for what went in, by event id: ids with no result (lost), ids with more than one result
 * (duplicated), results for ids never sent (unexpected), and keys whose results came out in another order than
 * their inputs went in (out of order: the first result of each id, per key, in the order the output topic holds
 * them; a re-delivery after a crash under at_least_once does not count).
 */
record DeliveryReport(
        int inputs,
        int results,
        List<String> lost,
        List<String> duplicated,
        List<String> unexpected,
        List<String> outOfOrder) {

    static DeliveryReport of(Set<String> inputIds, Collection<String> resultIds) {
        Map<String, Integer> counts = new HashMap<>();
        resultIds.forEach(id -> counts.merge(id, 1, Integer::sum));
        List<String> lost =
                inputIds.stream().filter(id -> !counts.containsKey(id)).sorted().toList();
        List<String> duplicated = counts.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        List<String> unexpected = counts.keySet().stream()
                .filter(id -> !inputIds.contains(id))
                .sorted()
                .toList();
        return new DeliveryReport(inputIds.size(), resultIds.size(), lost, duplicated, unexpected, List.of());
    }

    static DeliveryReport ofResults(Set<String> inputIds, Collection<OutputRecord> results) {
        return of(inputIds, results.stream().map(k -> k.event().getId()).toList());
    }

    /**
     * The report of {@code results} (in the order the output topic holds them: per partition, by offset) for
     * {@code sent} (in the order they were sent), with the keys whose results are out of order.
     */
    static DeliveryReport inOrder(List<String> sentIds, List<OutputRecord> results) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < sentIds.size(); i++) {
            position.put(sentIds.get(i), i);
        }
        DeliveryReport report = ofResults(position.keySet(), results);
        Set<String> delivered = new HashSet<>();
        Map<String, Integer> lastByKey = new HashMap<>();
        Set<String> outOfOrder = new TreeSet<>();
        for (OutputRecord result : results) {
            Integer at = position.get(result.id());
            if (at == null || !delivered.add(result.id())) {
                continue;
            }
            Integer last = lastByKey.put(result.key(), at);
            if (last != null && last > at) {
                outOfOrder.add(result.key());
            }
        }
        return new DeliveryReport(
                report.inputs,
                report.results,
                report.lost,
                report.duplicated,
                report.unexpected,
                List.copyOf(outOfOrder));
    }

    @Override
    public String toString() {
        return inputs + " inputs, " + results + " results, " + lost.size() + " lost, " + duplicated.size()
                + " duplicated, " + unexpected.size() + " unexpected, " + outOfOrder.size() + " keys out of order";
    }
}
