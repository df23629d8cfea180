package io.gamecrm.gateway.it;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.gamecrm.gateway.GatewayApplication;
import io.gamecrm.gateway.GatewayConfiguration;
import io.gamecrm.gateway.ingest.EventSink;
import io.gamecrm.gateway.kafka.KafkaEventSink;
import io.gamecrm.gateway.kafka.KafkaSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real gateway (gateway/config.yml, Dropwizard, Jetty, Jersey) on ephemeral ports, in this JVM,
 * with config overrides; optionally with a sink the test controls instead of Kafka.
 */
public final class TestGateway implements AutoCloseable {
    public static final String KEY = "dev-key-tank-wars-0001";
    static final Path CONFIG = Path.of(System.getProperty("crm.repo.dir", "../..")).resolve("gateway/config.yml");

    /** What the controlled sink does with a send. */
    public enum Mode { ACK, HOLD, FAIL }

    private final DropwizardTestSupport<GatewayConfiguration> support;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    public final ControlledSink sink;

    private TestGateway(ControlledSink sink, ConfigOverride... overrides) {
        this.sink = sink;
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0")));
        all.addAll(List.of(overrides));
        this.support = new DropwizardTestSupport<>(GatewayApplication.class, CONFIG.toString(),
                all.toArray(new ConfigOverride[0])) {
            @Override
            public Application<GatewayConfiguration> newApplication() {
                return sink == null ? new GatewayApplication() : new GatewayApplication() {
                    @Override
                    protected KafkaEventSink createSink(KafkaSettings settings) {
                        sink.settings = settings;
                        return sink;
                    }
                };
            }
        };
    }

    /** The gateway on the Kafka at {@code bootstrap}, topic {@code topic}. */
    public static TestGateway onKafka(String bootstrap, String topic, ConfigOverride... more) throws Exception {
        List<ConfigOverride> o = new ArrayList<>(List.of(ConfigOverride.config("kafka.bootstrapServers", bootstrap),
                ConfigOverride.config("kafka.topic", topic)));
        o.addAll(List.of(more));
        return new TestGateway(null, o.toArray(new ConfigOverride[0])).start();
    }

    /** The gateway with a sink the test controls (no Kafka). */
    public static TestGateway controlled(ConfigOverride... overrides) throws Exception {
        return new TestGateway(new ControlledSink(), overrides).start();
    }

    private TestGateway start() throws Exception {
        support.before();
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + support.getLocalPort());
    }

    public int port() {
        return support.getLocalPort();
    }

    public URI admin(String path) {
        return URI.create("http://127.0.0.1:" + support.getAdminPort() + path);
    }

    public HttpResponse<String> post(String contentType, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri().resolve("/v1/events")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> http(String pathAndQuery, String contentType, String body) throws IOException,
            InterruptedException {
        return http.send(HttpRequest.newBuilder(uri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<String>> postAsync(String contentType, String key, String body) {
        return http.sendAsync(HttpRequest.newBuilder(uri().resolve("/v1/events")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).header("X-Api-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the gateway as SIGTERM does (Jetty drains the requests, then the managed objects stop). */
    @Override
    public void close() {
        support.after();
    }

    /** A sink that acknowledges, withholds or fails sends as the test says. */
    public static final class ControlledSink extends KafkaEventSink {
        volatile KafkaSettings settings;
        public volatile Mode mode = Mode.ACK;
        private final List<CompletableFuture<Written>> held = new ArrayList<>();
        private final AtomicLong offsets = new AtomicLong();
        public final List<String> keys = new ArrayList<>();

        ControlledSink() {
            super(new KafkaSettings("127.0.0.1:1", "unused", null, null, null, null));
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public synchronized CompletableFuture<EventSink.Written> send(String key, byte[] value) {
            keys.add(key);
            return switch (mode) {
                case ACK -> CompletableFuture.completedFuture(new Written(0, offsets.getAndIncrement()));
                case FAIL -> CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("down"));
                case HOLD -> {
                    CompletableFuture<Written> f = new CompletableFuture<>();
                    held.add(f);
                    yield f;
                }
            };
        }

        public synchronized int held() {
            return held.size();
        }

        /** Acknowledges every withheld send. */
        public synchronized void release() {
            held.forEach(f -> f.complete(new Written(0, offsets.getAndIncrement())));
            held.clear();
        }

        @Override
        public int brokers(Duration timeout) {
            return 1;
        }
    }
}
