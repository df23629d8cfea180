package io.gamecrm.analytics.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmSessionQueryTest {
    @Test
    void decodesTheQueryString() {
        assertThat(WarmSession.query("q=SELECT%20count(*)%20FROM%20player_events&limit=5&compare"))
                .containsEntry("q", "SELECT count(*) FROM player_events").containsEntry("limit", "5")
                .containsEntry("compare", "");
        assertThat(WarmSession.query(null)).isEmpty();
        assertThat(WarmSession.query("steps=login%2Cfight")).containsEntry("steps", "login,fight");
    }
}
