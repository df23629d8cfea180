package io.gamecrm.cli;

import io.gamecrm.Names;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.json.Json;
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
                        + "player_id)."})
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

    @Mixin
    Endpoints endpoints;

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
        if (duration.isNegative() || duration.isZero()) {
            throw new CommandLine.ParameterException(cl, "--duration must be positive, got " + duration);
        }
        List<String[]> lines = null;
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(cl, "no file at " + file);
            }
            lines = readLines(file, cl);
        }
        String target = topic != null ? topic : endpoints.get(Names.Props.TOPIC_RAW);
        AtomicLong errors = new AtomicLong();
        long sent = 0;
        long start = System.nanoTime();
        long lastReport = start;
        long lastSent = 0;
        try (KafkaProducer<String, byte[]> producer = TrafficPump.producer(endpoints.get(Names.Props.KAFKA_BOOTSTRAP))) {
            GameTraffic traffic = new GameTraffic(seed, players, invalidShare);
            double nanosPerEvent = rate > 0 ? 1e9 / rate : 0;
            long end = start + duration.toNanos();
            while (lines != null ? sent < lines.size() : System.nanoTime() < end) {
                long due = start + (long) (sent * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, 20_000_000L));
                    continue;
                }
                String key;
                String value;
                if (lines != null) {
                    key = lines.get((int) sent)[0];
                    value = lines.get((int) sent)[1];
                } else {
                    GameTraffic.Event e = traffic.next(Instant.now());
                    key = e.playerId();
                    value = e.json();
                }
                producer.send(new ProducerRecord<>(target, key, value.getBytes(StandardCharsets.UTF_8)), (md, ex) -> {
                    if (ex != null) {
                        errors.incrementAndGet();
                    }
                });
                sent++;
                long now = System.nanoTime();
                if (now - lastReport >= 1_000_000_000L) {
                    System.out.printf("%5.0f s  sent %,d  (%,.0f events/s)  send errors %d%n", (now - start) / 1e9, sent,
                            (sent - lastSent) * 1e9 / (now - lastReport), errors.get());
                    lastReport = now;
                    lastSent = sent;
                }
            }
            producer.flush();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %,d events to %s in %.1f s (%,.0f events/s), %d send errors%n", sent, target, secs,
                sent / secs, errors.get());
        return errors.get() == 0 ? 0 : 1;
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
