package io.gamecrm.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlSchemaTest {
    @Test
    void everyTableIsCreatedIfMissingInTheConfiguredKeyspace() {
        List<String> statements = CqlSchema.statements("crm_test");

        assertThat(statements).isNotEmpty().allSatisfy(s -> assertThat(s).contains("IF NOT EXISTS crm_test."));
        assertThat(statements).anySatisfy(s -> assertThat(s).contains("crm_test.player_events")
                .contains("PRIMARY KEY ((player_id, day), event_id)"));
        assertThat(statements).anySatisfy(s -> assertThat(s).contains("crm_test.player_profile"));
    }

    @Test
    void everyColumnOfATableIsKnownSoAnOlderTableCanBeCompleted() {
        String profile = CqlSchema.statements("ks").stream().filter(x -> x.contains("ks.player_profile")).findFirst()
                .orElseThrow();

        assertThat(CqlSchema.columns(profile)).extracting(c -> c[0] + " " + c[1]).containsExactly(
                "player_id text", "profile text", "campaigns text", "version bigint", "applied frozen<map<int, bigint>>",
                "outbox text", "daily text", "updated_at timestamp", "exposures text");
    }
}
