package io.gamecrm.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.campaign.CampaignMode;
import io.gamecrm.handlers.TriggerRequest;
import io.gamecrm.json.Json;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Instant;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class TriggersTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.fromClasspath();
    private final Triggers triggers = new Triggers(CATALOG);
    private final Triggers.Cause cause = new Triggers.Cause("0b6f3f6a-1d2e-4f3a-9b8c-7d6e5f4a3b2c", "fight", "bob",
            "tank-wars", Instant.parse("2026-11-26T09:00:00Z"), 1L);

    private static TriggerRequest request(String campaign, String params) {
        return new TriggerRequest(campaign, params, "h", "a.js", "0123456789ab", CampaignMode.LIVE);
    }

    @Test
    void sameCauseGivesSameTriggerIdAndOtherCausesOtherIds() {
        String id = Triggers.triggerId("battle-tanks-offer", "bob", "e1");
        assertThat(Triggers.triggerId("battle-tanks-offer", "bob", "e1")).isEqualTo(id);
        assertThat(Triggers.triggerId("battle-tanks-offer", "bob", "e2")).isNotEqualTo(id);
        assertThat(Triggers.triggerId("other", "bob", "e1")).isNotEqualTo(id);
        assertThat(Triggers.triggerId("battle-tanks-offer", "alice", "e1")).isNotEqualTo(id);
    }

    @Test
    void builtTriggerIsValidAgainstTheSchema() throws Exception {
        Triggers.Trigger t = triggers.build(request("battle-tanks-offer", "{\"units\":4}"), cause,
                Instant.parse("2026-11-26T09:00:01Z"));

        CATALOG.trigger().validate(new JSONObject(t.json()));
        assertThat(Json.readObject(t.json())).containsEntry("handler_version", "0123456789ab")
                .containsEntry("created_at", "2026-11-26T09:00:01Z").containsEntry("game", "tank-wars");
    }

    @Test
    void theGameIsReadFromTheTopLevelOfTheEvent() {
        assertThat(Triggers.gameOf("{\"payload\":{\"game\":\"inner\",\"x\":[{\"game\":1}]},\"game\":\"tank-wars\"}"))
                .isEqualTo("tank-wars");
        assertThat(Triggers.gameOf("{\"player_id\":\"bob\"}")).isNull();
        assertThat(Triggers.gameOf("{\"game\":7}")).isNull();
        assertThat(Triggers.gameOf("not json")).isNull();
    }

    @Test
    void aTriggerBreakingTheSchemaIsRefused() {
        assertThatThrownBy(() -> triggers.build(request("Bad Campaign!", "{}"), cause, Instant.EPOCH))
                .isInstanceOf(Triggers.InvalidTriggerException.class)
                .hasMessageContaining("breaks the trigger schema");
    }
}
