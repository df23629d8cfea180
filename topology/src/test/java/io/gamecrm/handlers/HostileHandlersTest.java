package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.campaign.Decision;
import io.gamecrm.json.Json;
import io.gamecrm.offline.OfflineRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-handler corpus ({@code src/test/resources/hostile}): each file is what a careless or
 * hostile designer could drop into the handlers folder, next to the shipped handlers, with the
 * outcome the runtime must give it written in its header ({@code // expect: ...}):
 * <ul>
 *   <li>{@code rejected KIND [text]}: the publisher does not publish it, and the runtime does not load it;</li>
 *   <li>{@code loads}: it is published and runs;</li>
 *   <li>{@code failure HANDLER KIND [text]}: that handler fails, typed, on at least one event;</li>
 *   <li>{@code decision CAMPAIGN OUTCOME}: its campaign has that outcome on at least one event;</li>
 *   <li>{@code profile PLAYER KEY JSON}: the player's profile ends with that value;</li>
 *   <li>{@code logs HANDLER N}: the handler's calls keep at most N log lines;</li>
 *   <li>{@code deterministic}: two runs give the same offers, decisions and profiles.</li>
 * </ul>
 * Every file is run the way the topology runs handlers (watcher publisher, task compilation and
 * warm-up, simulated tasks, the limits of flux/local.properties), on Bob's story and another player,
 * and must leave the shipped handlers exactly as they are without it: Bob still gets four tanks,
 * once, every profile key the shipped files own has the same value, no shipped handler fails.
 * Budgets are CPU time read through a clock made of the script's own work ({@link FakeThreadClock}),
 * the watchdog measures real CPU time of calls that never end by construction: nothing here depends
 * on how fast or busy the machine is.
 */
class HostileHandlersTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
    /** Profile keys the shipped files own. */
    private static final List<String> SHIPPED_KEYS = List.of("fights", "lost_streak", "wins", "logins", "platform",
            "last_login");
    private static final Watchdog WATCHDOG = new Watchdog(Watchdog.Clock.SYSTEM, 5, 1000);
    private static List<String> events;
    private static Outcome baseline;

    @TempDir
    Path dir;

    /** What a run gave, in the terms the expectations use. */
    record Outcome(OfflineRun.Report report) {
        List<String> triggers(String campaign) {
            List<String> out = new ArrayList<>();
            for (OfflineRun.EventReport e : report.events()) {
                for (Map<String, Object> t : e.triggers()) {
                    if (campaign == null || campaign.equals(t.get("campaign"))) {
                        out.add(e.index() + " " + t.get("player_id") + " " + t.get("campaign") + " " + Json.write(t.get("params")));
                    }
                }
            }
            return out;
        }

        List<String> decisions(String campaign) {
            List<String> out = new ArrayList<>();
            for (OfflineRun.EventReport e : report.events()) {
                for (Decision d : e.decisions()) {
                    if (campaign == null || campaign.equals(d.campaign())) {
                        out.add(e.index() + " " + d.playerId() + " " + d.campaign() + " " + d.outcome());
                    }
                }
            }
            return out;
        }

        List<HandlerFailure> failures() {
            // a call stopped in the warm-up disables its handler before the first event: a typed failure too
            List<HandlerFailure> out = new ArrayList<>(report.warmUpFailures());
            report.events().forEach(e -> out.addAll(e.failures()));
            return out;
        }

        Map<String, Object> shippedKeys(String player) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> profile = report.profiles().getOrDefault(player, Map.of());
            SHIPPED_KEYS.forEach(k -> out.put(k, profile.get(k)));
            return out;
        }
    }

    static OfflineRun.Options options() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(RepoPaths.root().resolve("flux/local.properties"))) {
            p.load(in);
        }
        OfflineRun.Options o = OfflineRun.Options.fromProperties(p, FIXED);
        // the watchdog's deadlines in CPU time, short enough for a test; budgets on the work-made clock
        return o.withCalls(o.limits().withDeadlines(200, 1000), new FakeThreadClock(5), WATCHDOG);
    }

    @BeforeAll
    static void storyAndBaseline(@TempDir Path shipped) throws IOException {
        events = new ArrayList<>();
        for (String r : List.of("won", "won", "lost", "lost", "lost")) {
            events.add("{\"player_id\":\"bob\",\"event_type\":\"fight\",\"payload\":{\"result\":\"" + r
                    + "\",\"opponent\":{\"kind\":\"npc\",\"id\":\"camp\"}}}");
        }
        events.add("{\"player_id\":\"bob\",\"event_type\":\"login\",\"payload\":{\"platform\":\"android\"}}");
        events.add("{\"player_id\":\"alice\",\"event_type\":\"fight\",\"payload\":{\"result\":\"won\","
                + "\"opponent\":{\"kind\":\"npc\",\"id\":\"camp\"}}}");
        events.add("{\"player_id\":\"alice\",\"event_type\":\"login\",\"payload\":{\"platform\":\"ios\"}}");
        copyShipped(shipped);
        baseline = new Outcome(OfflineRun.run(shipped, events, Map.of(), options()));
        assertThat(baseline.report().rejectedFiles()).isEmpty();
        assertThat(baseline.triggers("battle-tanks-offer")).containsExactly("4 bob battle-tanks-offer {\"units\":4}");
    }

    private static void copyShipped(Path to) throws IOException {
        for (HandlerFile f : HandlerDirectory.read(RepoPaths.handlers())) {
            Files.writeString(to.resolve(f.name()), f.source());
        }
    }

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> s = Files.list(RepoPaths.root().resolve("topology/src/test/resources/hostile"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().toList().stream();
        }
    }

    @Test
    void theCorpusCoversEveryClassWithAtLeastFortyFiles() throws IOException {
        List<String> files = corpus().toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        List<String> classes = new ArrayList<>();
        for (String f : files) {
            String header = Files.readString(RepoPaths.root().resolve("topology/src/test/resources/hostile").resolve(f));
            String cls = header.substring(header.indexOf("// hostile: ") + 12, header.indexOf(" - "));
            classes.add(cls);
        }
        assertThat(classes).contains("wrapper escape", "global binding", "prototype", "kept reference", "Java error",
                "memory", "native", "profile", "campaign", "nondeterminism", "declaration", "output", "budgets", "load");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
    void aHostileFileGetsItsTypedOutcomeAndTheShippedHandlersKeepWorking(String name) throws IOException {
        Path source = RepoPaths.root().resolve("topology/src/test/resources/hostile").resolve(name);
        String text = Files.readString(source, StandardCharsets.UTF_8);
        List<String[]> expectations = text.lines().filter(l -> l.startsWith("// expect: "))
                .map(l -> l.substring("// expect: ".length()).split(" ", 4)).toList();
        assertThat(expectations).as("the file says what to expect").isNotEmpty();
        copyShipped(dir);
        Files.writeString(dir.resolve(name), text);
        // dropped in after the shipped files were there: they keep what they declared, whatever the names
        Files.setLastModifiedTime(dir.resolve(name), java.nio.file.attribute.FileTime.from(
                Files.getLastModifiedTime(dir.resolve("battle-tanks-offer.js")).toInstant().plusSeconds(60)));

        Outcome run = new Outcome(OfflineRun.run(dir, events, Map.of(), options()));

        for (String[] x : expectations) {
            check(name, text, x, run);
        }
        // the shipped handlers, as without the file
        assertThat(run.report().rejectedFiles()).extracting(HandlerProblem::file).doesNotContain(
                "battle-tanks-offer.js", "fight-streak.js", "logins.js");
        assertThat(run.triggers("battle-tanks-offer")).isEqualTo(baseline.triggers("battle-tanks-offer"));
        assertThat(run.decisions("battle-tanks-offer")).isEqualTo(baseline.decisions("battle-tanks-offer"));
        assertThat(run.shippedKeys("bob")).isEqualTo(baseline.shippedKeys("bob"));
        assertThat(run.shippedKeys("alice")).isEqualTo(baseline.shippedKeys("alice"));
        assertThat(run.failures()).extracting(HandlerFailure::file)
                .doesNotContain("battle-tanks-offer.js", "fight-streak.js", "logins.js");
    }

    private void check(String name, String text, String[] x, Outcome run) throws IOException {
        switch (x[0]) {
            case "rejected" -> {
                HandlerProblem.Kind kind = HandlerProblem.Kind.valueOf(x[1]);
                String detail = x.length > 2 ? String.join(" ", java.util.Arrays.copyOfRange(x, 2, x.length)) : "";
                assertThat(run.report().rejectedFiles()).as("the publisher rejects it").anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo(name);
                    assertThat(p.kind()).isEqualTo(kind);
                    assertThat(p.reason()).contains(detail);
                });
                assertThat(run.report().reports()).as("and reports it as the watcher would")
                        .anySatisfy(r -> assertThat(r.type()).isEqualTo("handlers.rejected"));
                // the runtime refuses it too, whatever the publisher did
                List<HandlerFile> files = new ArrayList<>(HandlerDirectory.read(RepoPaths.handlers()));
                files.add(HandlerFile.of(name, text));
                HandlerSet.Compilation c = HandlerSet.compile(files, options().runtime());
                assertThat(c.problems()).as("the runtime refuses it").anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo(name);
                    assertThat(p.kind()).isEqualTo(kind);
                });
                assertThat(c.set().files()).containsKeys("battle-tanks-offer.js", "fight-streak.js", "logins.js");
            }
            case "loads" -> assertThat(run.report().rejectedFiles()).extracting(HandlerProblem::file).doesNotContain(name);
            case "failure" -> {
                Invocation.Kind kind = Invocation.Kind.valueOf(x[2]);
                String detail = x.length > 3 ? x[3] : "";
                assertThat(run.failures()).as("a typed failure of " + x[1]).anySatisfy(f -> {
                    assertThat(f.handler()).isEqualTo(x[1]);
                    assertThat(f.kind()).isEqualTo(kind);
                    assertThat(f.message()).contains(detail).hasSizeLessThan(1200);
                });
            }
            case "decision" -> assertThat(run.decisions(x[1])).anySatisfy(d -> assertThat(d).endsWith(" " + x[2]));
            case "profile" -> assertThat(Json.write(run.report().profiles().get(x[1]).get(x[2]))).isEqualTo(x[3]);
            case "logs" -> {
                int max = Integer.parseInt(x[2]);
                List<String> logs = new ArrayList<>();
                run.report().events().forEach(e -> logs.addAll(e.logs()));
                assertThat(logs).isNotEmpty().allSatisfy(l -> assertThat(l).contains(x[1]).contains("lines dropped"));
                assertThat(logs.get(0).split(" \\| ")).hasSizeLessThanOrEqualTo(max);
            }
            case "deterministic" -> {
                Outcome again = new Outcome(OfflineRun.run(dir, events, Map.of(), options()));
                assertThat(again.triggers(null)).isEqualTo(run.triggers(null));
                assertThat(again.decisions(null)).isEqualTo(run.decisions(null));
                assertThat(again.report().profiles()).isEqualTo(run.report().profiles());
            }
            default -> throw new AssertionError("unknown expectation in " + name + ": " + String.join(" ", x));
        }
    }
}
