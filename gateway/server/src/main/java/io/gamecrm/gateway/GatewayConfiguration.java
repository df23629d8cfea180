package io.gamecrm.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.gamecrm.gateway.kafka.KafkaSettings;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * The gateway's YAML configuration (see gateway/config.yml, every key documented there): the
 * games and their API keys, Kafka, the ingest limits, and Dropwizard's own {@code server},
 * {@code logging} and {@code metrics} sections. {@code ${VAR}} and {@code ${VAR:-default}} are
 * taken from the environment; {@code -Ddw.<path>=value} overrides any key.
 */
public class GatewayConfiguration extends Configuration {
    @NotEmpty
    private Map<String, String> games;

    @NotNull
    private KafkaSettings kafka;

    @NotNull
    private IngestSettings ingest = IngestSettings.defaults();

    /** game -> its API key. */
    @JsonProperty
    public Map<String, String> getGames() {
        return games;
    }

    @JsonProperty
    public void setGames(Map<String, String> games) {
        this.games = games;
    }

    @JsonProperty
    public KafkaSettings getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    @JsonProperty
    public IngestSettings getIngest() {
        return ingest;
    }

    @JsonProperty
    public void setIngest(IngestSettings ingest) {
        this.ingest = ingest;
    }
}
