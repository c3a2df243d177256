package org.sentimentstream.it;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What came out for what went in, by event id: ids with no result (lost), ids with more than one result
 * (duplicated), and results for ids never sent (unexpected).
 */
record DeliveryReport(int inputs, int results, List<String> lost, List<String> duplicated, List<String> unexpected) {

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
        return new DeliveryReport(inputIds.size(), resultIds.size(), lost, duplicated, unexpected);
    }

    static DeliveryReport ofResults(Set<String> inputIds, Collection<OutputRecord> results) {
        return of(inputIds, results.stream().map(k -> k.event().getId()).toList());
    }

    @Override
    public String toString() {
        return inputs + " inputs, " + results + " results, " + lost.size() + " lost, " + duplicated.size()
                + " duplicated, " + unexpected.size() + " unexpected";
    }
}
