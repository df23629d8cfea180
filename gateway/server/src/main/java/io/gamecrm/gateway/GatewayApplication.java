package io.gamecrm.gateway;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.gamecrm.gateway.api.ApiKeys;
import io.gamecrm.gateway.api.EventsResource;
import io.gamecrm.gateway.ingest.EventParser;
import io.gamecrm.gateway.ingest.InFlight;
import io.gamecrm.gateway.ingest.IngestMetrics;
import io.gamecrm.gateway.ingest.Ingestor;
import io.gamecrm.gateway.ingest.RecentEvents;
import io.gamecrm.gateway.kafka.KafkaEventSink;
import io.gamecrm.gateway.kafka.KafkaHealthCheck;
import io.gamecrm.gateway.kafka.KafkaSettings;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest gateway: {@code java -jar crm-gateway.jar server config.yml} (or {@code ./crm gateway}).
 * Wires the plain parts: API keys, parser, in-flight limit, recent event ids, the Kafka sink
 * (managed: opened at start, closed after Jetty drained the requests), the resource, the
 * Kafka health check and the metrics.
 */
public class GatewayApplication extends Application<GatewayConfiguration> {
    private static final Logger log = LoggerFactory.getLogger(GatewayApplication.class);

    public static void main(String[] args) throws Exception {
        new GatewayApplication().run(args);
    }

    @Override
    public String getName() {
        return "crm-gateway";
    }

    @Override
    public void initialize(Bootstrap<GatewayConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default} in the YAML come from the environment; an unset VAR without a default is an error
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(bootstrap.getConfigurationSourceProvider(),
                new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(GatewayConfiguration cfg, Environment env) {
        IngestSettings ingest = cfg.getIngest();
        ApiKeys keys = new ApiKeys(cfg.getGames());
        KafkaEventSink sink = createSink(cfg.getKafka());
        env.lifecycle().manage(sink);
        ExecutorService responder = env.lifecycle().executorService("gateway-responder-%d")
                .minThreads(ingest.responseThreads()).maxThreads(ingest.responseThreads()).build();
        InFlight inFlight = new InFlight(ingest.maxInFlightEvents());
        IngestMetrics metrics = new IngestMetrics(env.metrics(), inFlight);
        ScheduledExecutorService timeouts = env.lifecycle().scheduledExecutorService("gateway-ack-timeout-%d")
                .threads(1).removeOnCancelPolicy(true).build();
        Ingestor ingestor = new Ingestor(sink, inFlight, new RecentEvents(ingest.dedupMaxEvents(),
                Duration.ofMillis(ingest.dedupWindow().toMilliseconds())),
                Duration.ofMillis(cfg.getKafka().ackTimeout().toMilliseconds()), metrics, responder, timeouts);
        env.jersey().register(new EventsResource(keys, new EventParser(ingest.limits()), ingestor, metrics,
                ingest.retryAfter().toSeconds()));
        env.healthChecks().register(GatewayNames.HEALTH_KAFKA, new KafkaHealthCheck(sink, Duration.ofSeconds(2)));
        log.info("games: {}; topic {}; limits: body {} bytes, {} events, event {} bytes; at most {} events in flight",
                cfg.getGames().keySet(), cfg.getKafka().topic(), ingest.limits().maxBodyBytes(), ingest.maxEvents(),
                ingest.limits().maxEventBytes(), ingest.maxInFlightEvents());
    }

    /** The Kafka sink; a test can override it. */
    protected KafkaEventSink createSink(KafkaSettings settings) {
        return new KafkaEventSink(settings);
    }
}
