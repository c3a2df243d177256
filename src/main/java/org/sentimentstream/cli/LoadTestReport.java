package org.sentimentstream.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.sentimentstream.loadtest.LatencySummary;
import org.sentimentstream.loadtest.LoadTestSummary;
import org.sentimentstream.loadtest.ResultTracker;

/** The human summary of a load test. */
final class LoadTestReport {

    private LoadTestReport() {}

    static void print(PrintWriter out, LoadTestSummary summary) {
        ResultTracker.Snapshot c = summary.counts();
        LatencySummary l = c.latency();
        String rate = summary.targetRate() > 0 ? format("%.1f/s", summary.targetRate()) : "max";
        out.println(format(
                "Load test %s: %s -> %s (%s), rate %s, texts from %s",
                summary.runId(), summary.inputTopic(), summary.outputTopic(), summary.format(), rate, summary.texts()));
        out.println(format(
                "  events sent        %,d (warm-up %,d, send failures %,d) at %.1f/s",
                c.sent(), c.warmup(), c.sendFailures(), summary.sendRate()));
        out.println(format("  results received   %,d (duplicates %,d)", c.results(), c.duplicates()));
        out.println(format("  dead letters       %,d", c.deadLetters()));
        out.println(format(
                "  missing            %,d%s",
                c.missing(), c.missing() > 0 ? " e.g. " + String.join(", ", c.missingSample()) : ""));
        out.println(format(
                "  throughput         %.1f results/s over %.2f s (%,d measured results)",
                c.throughputPerSecond(), c.windowSeconds(), l.count()));
        out.println(format(
                "  latency (ms)       p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f"
                        + "  (event time to result read)",
                l.p50(), l.p99(), l.p999(), l.max(), l.mean()));
        LatencySummary t = c.toClassified();
        out.println(format(
                "    of which (ms)    p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f  mean %.2f"
                        + "  (event time to classified_at)",
                t.p50(), t.p99(), t.p999(), t.max(), t.mean()));
        if (!c.stages().isEmpty()) {
            out.println("  stages (ms)        p50      p99    p99.9      max   (from the service's timing headers)");
            c.stages()
                    .forEach((stage, latency) -> out.println(format(
                            "    %-22s %8.1f %8.1f %8.1f %8.1f",
                            stage, latency.p50(), latency.p99(), latency.p999(), latency.max())));
        }
        out.println(
                summary.passed()
                        ? "  result             PASS: every event came back"
                        : "  result             FAIL: events missing or not sent");
        out.flush();
    }

    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }
}
