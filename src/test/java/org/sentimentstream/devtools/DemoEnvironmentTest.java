package org.sentimentstream.devtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.localbroker.BrokerStartException;

/**
 * The demo's environment cleans up after itself on every path that needs no real broker: a broker that fails
 * to start, a bad setting, resources that fail to close. (A real broker and service: {@code DemoIT}.)
 */
class DemoEnvironmentTest {

    @TempDir
    Path parent;

    private DemoEnvironment.Builder builder() {
        return DemoEnvironment.builder().parentFolder(parent).closeOnJvmExit(false);
    }

    @Test
    void shouldLeaveNoFolderWhenTheBrokerFailsToStart() {
        DemoEnvironment.Builder failingBroker = builder().brokerStarter(brokerFolder -> {
            try {
                // What a real broker leaves before it fails: its folder, configuration and log.
                Files.createDirectories(brokerFolder);
                Files.writeString(brokerFolder.resolve("broker.log"), "it failed");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new BrokerStartException("the Kafka broker exited with code 1 during start-up");
        });

        assertThatThrownBy(() -> {
                    try (DemoEnvironment demo = failingBroker.build()) {
                        assertThat(demo.folder()).isDirectory().hasParent(parent);
                        demo.startBroker();
                    }
                })
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("during start-up");

        assertThat(entries(parent)).as("what is left in the parent folder").isEmpty();
    }

    @Test
    void shouldRefuseABadSettingBeforeStartingAnythingAndLeaveNoFolder() {
        AtomicInteger brokersStarted = new AtomicInteger();
        DemoEnvironment.Builder badSetting = builder()
                .setting("batch.max.records", "0")
                .brokerStarter(folder -> {
                    brokersStarted.incrementAndGet();
                    throw new BrokerStartException("not expected");
                });

        assertThatThrownBy(badSetting::build)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("batch.max.records");

        assertThat(brokersStarted).hasValue(0);
        assertThat(entries(parent)).isEmpty();
    }

    @Test
    void shouldCloseWhatItOwnsInReverseOrderAndDeleteTheFolderLast() {
        List<String> closed = new ArrayList<>();
        DemoEnvironment demo = builder().build();
        Path folder = demo.folder();
        for (String name : List.of("first", "second", "third")) {
            demo.own(name, () -> closed.add(name + (Files.isDirectory(folder) ? " (folder still there)" : "")));
        }

        demo.close();

        assertThat(closed)
                .containsExactly(
                        "third (folder still there)", "second (folder still there)", "first (folder still there)");
        assertThat(folder).doesNotExist();
    }

    @Test
    void shouldAttemptEveryCloseWhenSomeFailAndReportTheFirstFailure() {
        List<String> closed = new ArrayList<>();
        DemoEnvironment demo = builder().build();
        Path folder = demo.folder();
        demo.own("the broker", () -> closed.add("broker"));
        demo.own("the registry", () -> {
            throw new IOException("the registry would not stop");
        });
        demo.own("the service", () -> {
            throw new IllegalStateException("the service would not stop");
        });

        assertThatThrownBy(demo::close)
                .hasMessage("cannot close the service: the service would not stop")
                .satisfies(failure -> assertThat(failure.getSuppressed())
                        .singleElement()
                        .satisfies(suppressed -> assertThat(suppressed)
                                .hasMessage("cannot close the registry: the registry would not stop")));

        assertThat(closed).containsExactly("broker");
        assertThat(folder).doesNotExist();
    }

    @Test
    void shouldCloseOnlyOnce() {
        AtomicInteger closes = new AtomicInteger();
        DemoEnvironment demo = builder().build();
        demo.own("a resource", closes::incrementAndGet);

        demo.close();
        demo.close();

        assertThat(closes).hasValue(1);
        assertThat(demo.isClosed()).isTrue();
    }

    @Test
    void shouldCloseAResourceOwnedAfterTheEnvironmentClosedAndRefuseIt() {
        AtomicInteger closes = new AtomicInteger();
        DemoEnvironment demo = builder().build();
        demo.close();

        assertThatThrownBy(() -> demo.own("a late resource", closes::incrementAndGet))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the demo is shutting down");

        assertThat(closes).as("the late resource was closed at once").hasValue(1);
    }

    @Test
    void shouldStartNoBrokerOnceClosed() {
        AtomicInteger brokersStarted = new AtomicInteger();
        DemoEnvironment demo = builder()
                .brokerStarter(folder -> {
                    brokersStarted.incrementAndGet();
                    throw new BrokerStartException("not expected");
                })
                .build();
        demo.close();

        assertThatThrownBy(demo::startBroker).hasMessage("the demo is shutting down");
        assertThat(brokersStarted).hasValue(0);
    }

    @Test
    void shouldNeedTheBrokerBeforeTheService() {
        try (DemoEnvironment demo = builder().build()) {
            assertThatThrownBy(() -> demo.startService(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the broker is not started");
        }
    }

    private static List<Path> entries(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
