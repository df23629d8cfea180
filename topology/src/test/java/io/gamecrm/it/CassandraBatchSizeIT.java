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
 * Batches the store builds stay under Cassandra's batch_size_fail_threshold (50 KiB by default) at
 * the largest allowed cassandra.write.batch.bytes, with many small rows: there the per-cell
 * overhead Cassandra counts (timestamp, TTL, deletion time) outweighs the values. A batch over the
 * limit fails every time and its events are replayed.
 */
class CassandraBatchSizeIT {
    private static final int PLAYERS = 3000;

    @Test
    void batchesOfManySmallRowsStayUnderCassandrasBatchLimit() throws Exception {
        try (CqlSession session = ItEnv.cql()) {
            CassandraSettings settings = ItEnv.freshKeyspace(session, "batch_size");
            String keyspace = settings.keyspace();
            settings.setWriteBatchBytes(45_000);
            CassandraProfileStore store = new CassandraProfileStore(session, settings);

            Map<String, ProfileStore.PlayerRows> rows = new LinkedHashMap<>();
            List<PlayerState> states = new ArrayList<>();
            Instant now = Instant.parse("2026-11-26T12:00:00Z");
            for (int i = 0; i < PLAYERS; i++) {
                String player = "p" + i;
                rows.put(player, new ProfileStore.PlayerRows(List.of(new ProfileStore.EventRow(player, now,
                        UUID.nameUUIDFromBytes(player.getBytes()).toString(), "login", "{}")), List.of(), List.of(), List.of()));
                states.add(new PlayerState(player, "{\"logins\":1}", PlayerCampaigns.empty(), 1, Map.of(0, (long) i), List.of()));
            }

            assertAllComplete(store.writeRows(rows));
            assertAllComplete(store.saveAll(states, now));

            assertThat(session.execute("SELECT count(*) FROM " + keyspace + ".player_profile").one().getLong(0))
                    .isEqualTo(PLAYERS);
        }
    }

    private static void assertAllComplete(Map<String, CompletableFuture<Void>> stages) throws Exception {
        assertThat(stages).hasSize(PLAYERS);
        CompletableFuture.allOf(stages.values().toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }
}
