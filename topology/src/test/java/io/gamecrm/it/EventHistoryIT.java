package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.crm.PlayerState;
import io.gamecrm.crm.ProfileStore;
import io.gamecrm.profile.CassandraProfileStore;
import io.gamecrm.profile.CassandraSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * cassandra.history.event.types on a real Cassandra: only the listed types' events get a
 * player_events row; every player's state row is written all the same.
 */
class EventHistoryIT {
    @Test
    void onlyTheListedTypesAreKeptInTheHistoryAndEveryStateIsWritten() throws Exception {
        try (CqlSession session = ItEnv.cql()) {
            CassandraSettings settings = ItEnv.freshKeyspace(session, "history");
            String keyspace = settings.keyspace();
            settings.setHistoryEventTypes("fight,purchase");
            CassandraProfileStore store = new CassandraProfileStore(session, settings);

            Instant now = Instant.parse("2026-12-01T12:00:00Z");
            Map<String, ProfileStore.PlayerRows> rows = new LinkedHashMap<>();
            List<PlayerState> states = new ArrayList<>();
            String[] types = {"login", "fight", "build", "purchase"};
            for (int i = 0; i < 40; i++) {
                String player = "p" + i;
                List<ProfileStore.EventRow> events = new ArrayList<>();
                for (int k = 0; k < types.length; k++) {
                    events.add(new ProfileStore.EventRow(player, now.plusMillis(k),
                            UUID.nameUUIDFromBytes((player + k).getBytes()).toString(), types[k], "{}"));
                }
                rows.put(player, new ProfileStore.PlayerRows(events, List.of(), List.of(), List.of()));
                states.add(new PlayerState(player, "{\"n\":" + i + "}", PlayerCampaigns.empty(), 1, Map.of(0, (long) i),
                        List.of()));
            }
            complete(store.writeRows(rows));
            complete(store.saveAll(states, now));

            List<String> kept = new ArrayList<>();
            session.execute("SELECT event_type FROM " + keyspace + ".player_events").forEach(r -> kept.add(r.getString(0)));
            assertThat(kept).hasSize(80).containsOnly("fight", "purchase");
            assertThat(session.execute("SELECT count(*) FROM " + keyspace + ".player_profile").one().getLong(0))
                    .isEqualTo(40);
        }
    }

    private static void complete(Map<String, CompletableFuture<Void>> stages) throws Exception {
        CompletableFuture.allOf(stages.values().toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }
}
