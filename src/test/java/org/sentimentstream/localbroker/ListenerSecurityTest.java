package org.sentimentstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

/** JVM system properties of the broker nodes, the hook SASL/OAUTHBEARER's allowed URLs need (KafkaOAuthIT). */
class ListenerSecurityTest {

    private static KafkaNode node(ListenerSecurity security) {
        KraftProperties properties = new KraftProperties(
                KraftProperties.NODE_ID, 19092, 19093, Path.of("/tmp/x/data"), null, 1, 1, null, 19094, security);
        return new KafkaNode(Path.of("/tmp/x"), properties, "256m", Duration.ofSeconds(30));
    }

    @Test
    void shouldGiveEveryNodeJvmItsSystemPropertiesAsOptions() {
        ListenerSecurity security = new ListenerSecurity(
                SecurityProtocol.SASL_PLAINTEXT,
                Map.of("sasl.enabled.mechanisms", "OAUTHBEARER"),
                List.of(),
                Map.of("org.apache.kafka.sasl.oauthbearer.allowed.urls", "http://127.0.0.1:1234/jwks"));

        assertThat(node(security).jvmOptions())
                .contains("-Xmx256m", "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=http://127.0.0.1:1234/jwks");
    }

    @Test
    void shouldAddNoSystemPropertyByDefault() {
        ListenerSecurity withoutProperties =
                new ListenerSecurity(SecurityProtocol.SSL, Map.of("ssl.client.auth", "required"), List.of());

        assertThat(withoutProperties.systemProperties()).isEmpty();
        assertThat(ListenerSecurity.none().systemProperties()).isEmpty();
        assertThat(node(withoutProperties).jvmOptions()).noneMatch(option -> option.contains("oauthbearer"));
    }

    @Test
    void shouldRefuseASystemPropertyNameThatIsNoJvmOption() {
        assertThatThrownBy(() -> new ListenerSecurity(SecurityProtocol.SSL, Map.of(), List.of(), Map.of("a b", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a b");
        assertThatThrownBy(() -> new ListenerSecurity(SecurityProtocol.SSL, Map.of(), List.of(), Map.of("a=b", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
