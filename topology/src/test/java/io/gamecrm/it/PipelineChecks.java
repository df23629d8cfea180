package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.json.Json;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads back what the topology stored and emitted for a run, to compare with a {@link StreamOracle}. */
final class PipelineChecks {
    private final CqlSession cql;
    private final ItEnv.Run run;

    PipelineChecks(CqlSession cql, ItEnv.Run run) {
        this.cql = cql;
        this.run = run;
    }

    long version(String player) {
        Row r = cql.execute("SELECT version FROM " + run.keyspace() + ".player_profile WHERE player_id = ?", player).one();
        return r == null ? 0 : r.getLong(0);
    }

    /** Whether every player's state has applied all of its events. */
    boolean allApplied(StreamOracle oracle) {
        return oracle.eventsPerPlayer().entrySet().stream().allMatch(e -> version(e.getKey()) == e.getValue());
    }

    Map<String, Map<String, Object>> profiles(Set<String> players) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (String p : players) {
            Row r = cql.execute("SELECT profile FROM " + run.keyspace() + ".player_profile WHERE player_id = ?", p).one();
            out.put(p, r == null ? Map.of() : Json.readObject(r.getString(0)));
        }
        return out;
    }

    Map<String, Long> versions(Set<String> players) {
        Map<String, Long> out = new HashMap<>();
        players.forEach(p -> out.put(p, version(p)));
        return out;
    }

    int eventRows(String player, LocalDate day) {
        return cql.execute("SELECT event_id FROM " + run.keyspace() + ".player_events WHERE player_id = ? AND day = ?",
                player, day).all().size();
    }

    /** The trigger ids on the trigger topic, and how many messages carried them. */
    record TriggerIds(Set<String> distinct, int messages) {
    }

    TriggerIds triggerIds(List<TopicTail.Received> records) {
        Set<String> ids = new LinkedHashSet<>();
        records.forEach(r -> ids.add((String) Json.readObject(r.value()).get("trigger_id")));
        return new TriggerIds(ids, records.size());
    }

    /**
     * A trigger sent more than once is sent the same each time: every message of one trigger id carries the same
     * trigger (the contract lets a trigger go out again only as itself).
     */
    void assertRepeatsIdentical(List<TopicTail.Received> records) {
        Map<String, String> first = new HashMap<>();
        for (TopicTail.Received r : records) {
            String id = (String) Json.readObject(r.value()).get("trigger_id");
            String before = first.putIfAbsent(id, r.value());
            if (before != null) {
                assertThat(Json.readObject(r.value())).as("trigger %s sent again", id).isEqualTo(Json.readObject(before));
            }
        }
    }

    void assertMatches(StreamOracle oracle, TopicTail triggers) {
        Set<String> players = oracle.eventsPerPlayer().keySet();
        assertThat(profiles(players)).as("every profile is what the event stream implies").isEqualTo(oracle.profiles());
        for (Map.Entry<String, Integer> e : oracle.eventsPerPlayer().entrySet()) {
            assertThat(version(e.getKey())).as("events applied to " + e.getKey()).isEqualTo(e.getValue().longValue());
            assertThat(eventRows(e.getKey(), LocalDate.of(2026, 11, 26))).as("player_events of " + e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(triggerIds(triggers.all()).distinct()).as("trigger ids").isEqualTo(oracle.triggerIds());
    }
}
