package io.gamecrm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gateway/config.yml (and the docker-compose one) load as Dropwizard loads them, with their defaults and overrides. */
class GatewayConfigurationTest {
    static final Path REPO = Path.of(System.getProperty("crm.repo.dir", "../.."));

    static GatewayConfiguration load(Path file, Map<String, String> env) throws Exception {
        YamlConfigurationFactory<GatewayConfiguration> factory = new YamlConfigurationFactory<>(GatewayConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        EnvironmentVariableSubstitutor real = new EnvironmentVariableSubstitutor(true);
        StringSubstitutor sub = env == null ? real : new StringSubstitutor(env::get, "${", "}", '$');
        sub.setEnableSubstitutionInVariables(false);
        sub.setValueDelimiter(":-");
        sub.setEnableUndefinedVariableException(true);
        return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), sub), file.toString());
    }

    @Test
    void theShippedConfigLoadsWithItsLocalDefaults() throws Exception {
        GatewayConfiguration c = load(REPO.resolve("gateway/config.yml"), Map.of());
        assertThat(c.getGames()).containsOnlyKeys("tank-wars");
        assertThat(c.getKafka().bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(c.getKafka().topic()).isEqualTo("raw");
        assertThat(c.getKafka().client()).containsOnlyKeys("security.protocol");
        assertThat(c.getIngest().limits().maxEvents()).isEqualTo(500);
        assertThat(c.getIngest().limits().maxEventBytes()).isEqualTo(65536);
        HttpConnectorFactory http = (HttpConnectorFactory) ((DefaultServerFactory) c.getServerFactory())
                .getApplicationConnectors().get(0);
        assertThat(http.getPort()).isEqualTo(18080);
        assertThat(http.getMinRequestDataPerSecond().toBytes()).isEqualTo(1024);
    }

    @Test
    void theEnvironmentOverridesKeysKafkaAndPorts() throws Exception {
        GatewayConfiguration c = load(REPO.resolve("gateway/config.yml"), Map.of("CRM_GATEWAY_KEY_TANK_WARS",
                "a-production-key-123", "CRM_KAFKA_BOOTSTRAP", "kafka:9092", "CRM_GATEWAY_PORT", "28080",
                "CRM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "CRM_KAFKA_SASL_MECHANISM", "PLAIN"));
        assertThat(c.getGames()).containsEntry("tank-wars", "a-production-key-123");
        assertThat(c.getKafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(c.getKafka().client()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(((HttpConnectorFactory) ((DefaultServerFactory) c.getServerFactory()).getApplicationConnectors().get(0))
                .getPort()).isEqualTo(28080);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfigLoadsWithTheEnvironmentOfTheDockerComposeGatewayService() throws Exception {
        Map<String, Object> compose = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(REPO.resolve("docker-compose.yml").toFile(),
                Map.class);
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("gateway");
        Map<String, String> env = new java.util.HashMap<>();
        ((Map<String, Object>) service.get("environment")).forEach((k, v) -> {
            String value = String.valueOf(v);
            // compose's own ${VAR:-default}: the default, as when VAR is unset
            env.put(k, value.startsWith("${") ? value.substring(value.indexOf(":-") + 2, value.length() - 1) : value);
        });
        GatewayConfiguration c = load(REPO.resolve("gateway/config.yml"), env);
        assertThat(c.getKafka().bootstrapServers()).isEqualTo("kafka:9092");
        DefaultServerFactory server = (DefaultServerFactory) c.getServerFactory();
        HttpConnectorFactory http = (HttpConnectorFactory) server.getApplicationConnectors().get(0);
        HttpConnectorFactory admin = (HttpConnectorFactory) server.getAdminConnectors().get(0);
        assertThat(http.getBindHost()).isEqualTo("0.0.0.0");
        assertThat(admin.getBindHost()).isEqualTo("0.0.0.0");
        assertThat((java.util.List<String>) service.get("ports")).contains("28080:" + http.getPort(),
                "28081:" + admin.getPort());
    }

    @Test
    void aBadValueStopsTheStartWithTheKeyNamed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "games: {tank-wars: dev-key-tank-wars-0001}\nkafka: {bootstrapServers: k:9092, topic: raw, "
                + "client: {acks: '0'}}\n");
        assertThatThrownBy(() -> load(bad, Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("only security settings");
        Files.writeString(bad, "games: {tank-wars: dev-key-tank-wars-0001}\nkafka: {bootstrapServers: k:9092, topic: raw}\n"
                + "ingest: {maxEvents: 100, maxInFlightEvents: 10}\n");
        assertThatThrownBy(() -> load(bad, Map.of())).hasMessageContaining("maxInFlightEvents");
    }
}
