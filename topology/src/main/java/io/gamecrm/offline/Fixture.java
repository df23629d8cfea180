package io.gamecrm.offline;

import io.gamecrm.campaign.Decision;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A handler fixture (handlers-js/tests/*.json): starting profiles and events in, expected triggers,
 * suppressions and profiles out.
 *
 * <pre>{
 *   "description": "three losses in a row bring four tanks",
 *   "handlers": ["lost-fight-streak", "tanks-after-three-losses"],   // what it covers
 *   "profiles": {"bob": {"lost_streak": 1}},                          // optional
 *   "events": [{"player_id": "bob", "event_type": "fight", "payload": {…}}, …],
 *   "expect": {
 *     "triggers":   [{"player_id": "bob", "campaign": "battle-tanks-offer", "params": {"units": 4}, "cause": 2}],
 *     "suppressed": [{"player_id": "bob", "campaign": "battle-tanks-offer", "outcome": "CAP_PER_DAY", "cause": 6}],
 *     "profiles":   {"bob": {"lost_streak": 3}},                       // the keys listed must match
 *     "errors":     0                                                  // handler failures, default 0
 *   }
 * }</pre>
 * {@code cause} is the index of the event (from 0) that caused the trigger or suppression. The
 * triggers and suppressions listed must be all there were.
 */
public record Fixture(String name, String description, List<String> handlers, Map<String, Map<String, Object>> profiles,
                      List<String> events, Map<String, Object> expect) {

    @SuppressWarnings("unchecked")
    public static Fixture read(Path file) throws IOException {
        Map<String, Object> m = Json.readObject(Files.readString(file));
        List<String> events = new ArrayList<>();
        for (Object e : (List<Object>) m.getOrDefault("events", List.of())) {
            events.add(Json.write(e));
        }
        return new Fixture(file.getFileName().toString(), (String) m.getOrDefault("description", ""),
                (List<String>) m.getOrDefault("handlers", List.of()),
                (Map<String, Map<String, Object>>) m.getOrDefault("profiles", Map.of()), events,
                (Map<String, Object>) m.getOrDefault("expect", Map.of()));
    }

    /** Runs the fixture against a handlers directory, with the default settings. */
    public OfflineRun.Report run(Path handlersDir) throws IOException {
        return OfflineRun.run(handlersDir, events, profiles);
    }

    /** Runs the fixture against a handlers directory, set up as a topology would be. */
    public OfflineRun.Report run(Path handlersDir, OfflineRun.Options options) throws IOException {
        return OfflineRun.run(handlersDir, events, profiles, options);
    }

    /** What differs between the expectations and the report; empty when the fixture passes. */
    @SuppressWarnings("unchecked")
    public List<String> mismatches(OfflineRun.Report report) {
        List<String> out = new ArrayList<>();
        if (!report.rejectedFiles().isEmpty()) {
            out.add("rejected files: " + report.rejectedFiles());
        }
        List<Map<String, Object>> actualTriggers = new ArrayList<>();
        List<Map<String, Object>> actualSuppressed = new ArrayList<>();
        int errors = report.warmUpFailures().size(); // a handler stopped in the warm-up fails no event
        for (OfflineRun.EventReport e : report.events()) {
            if (e.invalidReason() != null) {
                out.add("event " + e.index() + " is invalid: " + e.invalidReason());
            }
            for (Map<String, Object> t : e.triggers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("player_id", t.get("player_id"));
                m.put("campaign", t.get("campaign"));
                m.put("params", t.get("params"));
                m.put("cause", e.index());
                actualTriggers.add(m);
            }
            for (Decision d : e.decisions()) {
                if (d.outcome().suppressed()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("player_id", d.playerId());
                    m.put("campaign", d.campaign());
                    m.put("outcome", d.outcome().name());
                    m.put("cause", e.index());
                    actualSuppressed.add(m);
                }
            }
            errors += e.failures().size();
        }
        compare(out, "triggers", (List<Map<String, Object>>) expect.getOrDefault("triggers", List.of()), actualTriggers);
        compare(out, "suppressed", (List<Map<String, Object>>) expect.getOrDefault("suppressed", List.of()),
                actualSuppressed);
        Map<String, Map<String, Object>> profilesExpected =
                (Map<String, Map<String, Object>>) expect.getOrDefault("profiles", Map.of());
        profilesExpected.forEach((player, keys) -> {
            Map<String, Object> actual = report.profiles().getOrDefault(player, Map.of());
            keys.forEach((k, v) -> {
                if (!Objects.equals(Json.write(v), Json.write(actual.get(k)))) {
                    out.add("profile of " + player + ": " + k + " is " + Json.write(actual.get(k)) + ", expected "
                            + Json.write(v));
                }
            });
        });
        int expectedErrors = ((Number) expect.getOrDefault("errors", 0)).intValue();
        if (errors != expectedErrors) {
            out.add(errors + " handler failures, expected " + expectedErrors);
        }
        return out;
    }

    private static void compare(List<String> out, String what, List<Map<String, Object>> expected,
                                List<Map<String, Object>> actual) {
        List<String> e = expected.stream().map(Json::write).toList();
        List<String> a = actual.stream().map(m -> {
            // compare only the keys the expectation names
            return Json.write(m);
        }).toList();
        List<String> normalizedExpected = new ArrayList<>();
        for (Map<String, Object> m : expected) {
            Map<String, Object> n = new LinkedHashMap<>();
            for (String k : List.of("player_id", "campaign", "params", "outcome", "cause")) {
                if (m.containsKey(k)) {
                    n.put(k, m.get(k));
                }
            }
            normalizedExpected.add(Json.write(n));
        }
        List<String> normalizedActual = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            Map<String, Object> m = actual.get(i);
            Map<String, Object> pattern = i < expected.size() ? expected.get(i) : m;
            Map<String, Object> n = new LinkedHashMap<>();
            for (String k : List.of("player_id", "campaign", "params", "outcome", "cause")) {
                if (pattern.containsKey(k) && m.containsKey(k)) {
                    n.put(k, m.get(k));
                }
            }
            normalizedActual.add(Json.write(n));
        }
        if (!normalizedExpected.equals(normalizedActual)) {
            out.add(what + ": expected " + e + " but got " + a);
        }
    }
}
