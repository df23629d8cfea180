package io.gamecrm.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CassandraSettingsTest {
    private static CassandraSettings settings() {
        return new CassandraSettings("127.0.0.1:9042", "datacenter1", "crm");
    }

    @Test
    void keepsTheHistoryOfEveryEventTypeByDefaultAndWithAStar() {
        CassandraSettings s = settings();
        assertThat(s.keepsHistoryOf("login")).isTrue();
        assertThat(s.historyEventTypes()).isEqualTo("*");
        s.setHistoryEventTypes(" * ");
        assertThat(s.keepsHistoryOf("anything")).isTrue();
    }

    @Test
    void keepsOnlyTheListedTypes() {
        CassandraSettings s = settings();
        s.setHistoryEventTypes("purchase, fight");
        assertThat(s.keepsHistoryOf("fight")).isTrue();
        assertThat(s.keepsHistoryOf("purchase")).isTrue();
        assertThat(s.keepsHistoryOf("login")).isFalse();
        assertThat(s.historyEventTypes()).isEqualTo("fight,purchase");
    }

    @Test
    void anEmptyListKeepsNone() {
        CassandraSettings s = settings();
        s.setHistoryEventTypes("");
        assertThat(s.keepsHistoryOf("fight")).isFalse();
        assertThat(s.historyEventTypes()).isEmpty();
    }

    @Test
    void refusesWhatCannotBeAnEventType() {
        assertThatThrownBy(() -> settings().setHistoryEventTypes("fight,Login"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Login'");
        assertThatThrownBy(() -> settings().setHistoryEventTypes("fight;login"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
