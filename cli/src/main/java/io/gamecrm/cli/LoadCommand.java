package io.gamecrm.cli;

import io.gamecrm.Names;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.cli.traffic.OfferResponse;
import io.gamecrm.gateway.client.GatewayClient;
import io.gamecrm.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crm load}: realistic game traffic into the raw topic at a fixed rate, deterministic for
 * a seed, or a JSON-lines file replayed (as fast as possible, or at --rate).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Send game traffic to the raw topic: many players, a realistic mix of logins, fights, "
                + "builds and purchases, the same sequence for the same seed (timestamps are the send times).",
                "With --file, send the events of a JSON-lines file instead (one event per line; the key is its "
                        + "player_id).",
                "With --gateway URL, send through the ingest gateway as a game does (batches over HTTP, retries on "
                        + "429/503) instead of writing the topic."})
public final class LoadCommand implements Callable<Integer> {
    @Option(names = "--rate", paramLabel = "EVENTS/S", defaultValue = "1000",
            description = "Events per second (default: ${DEFAULT-VALUE}; with --file, 0 = as fast as possible).")
    double rate;

    @Option(names = "--players", defaultValue = "100000", description = "Players (default: ${DEFAULT-VALUE}).")
    int players;

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "60s",
            description = "How long to send (default: ${DEFAULT-VALUE}); ignored with --file.")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--invalid-share", defaultValue = "0", description = "Share of invalid records, 0..1 (default: 0).")
    double invalidShare;

    @Option(names = "--file", paramLabel = "FILE.jsonl", description = "Replay this JSON-lines file.")
    Path file;

    @Option(names = "--topic", description = "Topic (default: crm.topic.raw of the properties).")
    String topic;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "Send through the ingest gateway at URL (e.g. http://127.0.0.1:18080), as a game does.")
    URI gateway;

    @Option(names = "--api-key", defaultValue = "${env:" + DEV_KEY_ENV + ":-" + DEV_KEY + "}",
            description = "The game's API key for --gateway (default: $" + DEV_KEY_ENV
                    + ", else the development key of gateway/config.yml).")
    String apiKey;

    /** The development key of gateway/config.yml (its CRM_GATEWAY_KEY_TANK_WARS default). */
    static final String DEV_KEY = "dev-key-tank-wars-0001";
    static final String DEV_KEY_ENV = "CRM_GATEWAY_KEY";

    @Mixin
    Endpoints endpoints;

    @Mixin
    ResponseOptions response;

    @Option(names = "--handlers-dir", description = "The handler files whose campaign the players answer (default: "
            + "handlers-js/ of the repository).")
    Path handlersDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (rate < 0 || (file == null && rate == 0)) {
            throw new CommandLine.ParameterException(cl, "--rate must be positive (0 only with --file), got " + rate);
        }
        if (players < 1) {
            throw new CommandLine.ParameterException(cl, "--players must be at least 1, got " + players);
        }
        if (invalidShare < 0 || invalidShare > 1) {
            throw new CommandLine.ParameterException(cl, "--invalid-share must be within 0..1, got " + invalidShare);
        }
        response.check(cl);
        if (duration.isNegative() || duration.isZero()) {
            throw new CommandLine.ParameterException(cl, "--duration must be positive, got " + duration);
        }
        if (gateway != null && !(("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme()))
                && gateway.getHost() != null)) {
            throw new CommandLine.ParameterException(cl, "--gateway must be an http(s) URL such as http://127.0.0.1:18080, got "
                    + gateway);
        }
        List<String[]> lines = null;
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(cl, "no file at " + file);
            }
            lines = readLines(file, cl);
        }
        String target = gateway != null ? gateway.toString() : topic != null ? topic : endpoints.get(Names.Props.TOPIC_RAW);
        try (Out out = gateway != null ? new ToGateway(gateway, apiKey)
                : new ToTopic(TrafficPump.producer(endpoints.kafkaClient()), target)) {
            OfferResponse answers = file != null ? null
                    : response.resolve(handlersDir != null ? handlersDir : Repo.handlers(), endpoints.load(),
                            msg -> System.out.println(msg));
            GameTraffic traffic = new GameTraffic(seed, players, invalidShare, answers);
            // the clock starts once the client is built: --duration is time spent sending
            long sent = 0;
            long start = System.nanoTime();
            long lastReport = start;
            long lastSent = 0;
            double nanosPerEvent = rate > 0 ? 1e9 / rate : 0;
            long end = start + duration.toNanos();
            while (lines != null ? sent < lines.size() : System.nanoTime() < end) {
                long due = start + (long) (sent * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, 20_000_000L));
                    continue;
                }
                if (lines != null) {
                    out.send(lines.get((int) sent)[0], lines.get((int) sent)[1]);
                } else {
                    GameTraffic.Event e = traffic.next(Instant.now());
                    out.send(e.playerId(), e.json());
                }
                sent++;
                long now = System.nanoTime();
                if (now - lastReport >= 1_000_000_000L) {
                    System.out.printf("%5.0f s  sent %,d  (%,.0f events/s)  %s%n", (now - start) / 1e9, sent,
                            (sent - lastSent) * 1e9 / (now - lastReport), out.progress());
                    lastReport = now;
                    lastSent = sent;
                }
            }
            out.finish();
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("sent %,d events to %s in %.1f s (%,.0f events/s), %s%n", sent, target, secs, sent / secs,
                    out.progress());
            return out.errors() == 0 ? 0 : 1;
        }
    }

    /** Where the events go: the raw topic, or the gateway. */
    private interface Out extends AutoCloseable {
        void send(String key, String json) throws InterruptedException;

        /** Waits until everything sent is acknowledged (or failed). */
        void finish() throws InterruptedException;

        String progress();

        long errors();

        @Override
        void close();
    }

    private static final class ToTopic implements Out {
        private final KafkaProducer<String, byte[]> producer;
        private final String topic;
        private final AtomicLong errors = new AtomicLong();

        ToTopic(KafkaProducer<String, byte[]> producer, String topic) {
            this.producer = producer;
            this.topic = topic;
        }

        @Override
        public void send(String key, String json) {
            producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8)), (md, ex) -> {
                if (ex != null) {
                    errors.incrementAndGet();
                }
            });
        }

        @Override
        public void finish() {
            producer.flush();
        }

        @Override
        public String progress() {
            return "send errors " + errors.get();
        }

        @Override
        public long errors() {
            return errors.get();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private static final class ToGateway implements Out {
        private final GatewayClient client;

        ToGateway(URI gateway, String apiKey) {
            this.client = new GatewayClient(gateway, apiKey, GatewayClient.Settings.defaults(), r -> { });
        }

        @Override
        public void send(String key, String json) throws InterruptedException {
            while (!client.submit(json.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1))) {
                System.out.println("  the gateway's queue is full: waiting (" + progress() + ")");
            }
        }

        @Override
        public void finish() throws InterruptedException {
            if (!client.flush(Duration.ofMinutes(2))) {
                System.out.println("  not every event was answered within 2 minutes");
            }
        }

        @Override
        public String progress() {
            return String.format("accepted %,d  rejected by the gateway %,d  failed %,d  retried %,d", client.accepted(),
                    client.rejected(), client.failed(), client.retries());
        }

        @Override
        public long errors() {
            return client.failed() + (client.submitted() - client.accepted() - client.rejected() - client.failed());
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static List<String[]> readLines(Path file, CommandLine cl) throws java.io.IOException {
        List<String[]> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            Object player;
            try {
                Map<String, Object> m = Json.readObject(line);
                player = m.get("player_id");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, file + ":" + n + " is not a JSON object");
            }
            out.add(new String[] {player == null ? null : String.valueOf(player), line});
        }
        return out;
    }
}
