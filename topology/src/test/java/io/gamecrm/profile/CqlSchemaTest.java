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
}
