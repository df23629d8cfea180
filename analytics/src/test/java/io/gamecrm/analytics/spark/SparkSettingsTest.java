package io.gamecrm.analytics.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {
    static SparkSettings with(String master, String host, int port, String keyspace) {
        return new SparkSettings(master, host, port, "datacenter1", keyspace, List.of(), Map.of());
    }

    @Test
    void acceptsLocalAndStandaloneMasters() {
        assertThat(with("local[2]", "127.0.0.1", 9042, "crm").onCluster()).isFalse();
        assertThat(with("local[*]", "127.0.0.1", 9042, "crm").onCluster()).isFalse();
        assertThat(with("spark://10.0.0.1:7077", "127.0.0.1", 9042, "crm").onCluster()).isTrue();
    }

    @Test
    void refusesWhatSparkOrCassandraWouldRefuseLater() {
        assertThatThrownBy(() -> with("yarn", "h", 9042, "crm")).hasMessageContaining("--master");
        assertThatThrownBy(() -> with("spark://host", "h", 9042, "crm")).hasMessageContaining("--master");
        assertThatThrownBy(() -> with("local", "h", 0, "crm")).hasMessageContaining("port");
        assertThatThrownBy(() -> with("local", " ", 9042, "crm")).hasMessageContaining("host");
        assertThatThrownBy(() -> with("local", "h", 9042, "crm; DROP")).hasMessageContaining("keyspace");
    }

    @Test
    void readsTheFirstContactPoint() {
        assertThat(SparkSettings.hostAndPort("127.0.0.1:19042, 127.0.0.2:19042")).containsExactly("127.0.0.1", "19042");
        assertThatThrownBy(() -> SparkSettings.hostAndPort("cassandra")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> SparkSettings.hostAndPort("cassandra:x")).hasMessageContaining("HOST:PORT");
    }

    @Test
    void findsTheViewsAQueryNames() {
        assertThat(CrmTables.mentionedIn("SELECT * FROM Player_Events e JOIN player_profile p USING (player_id)"))
                .containsExactly("player_events", "player_profile");
        assertThat(CrmTables.mentionedIn("SELECT 1 FROM player_events_old")).isEmpty();
    }

    @Test
    void readsTheTimeOfATimeuuidAsTheTopologyWroteIt() {
        long ms = 1_795_000_000_123L;
        String uuid = io.gamecrm.profile.TimeUuids.of(ms, "cause/handler/campaign").toString();
        assertThat(new TimeUuidTime().call(uuid).getTime()).isEqualTo(ms);
        assertThat(new TimeUuidTime().call(null)).isNull();
        assertThat(new TimeUuidTime().call(java.util.UUID.randomUUID().toString())).isNull();
    }
}
