package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.json.Json;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline (a {@link BatchProcessor} over {@link CrmCore}) with the shipped handlers
 * (handlers-js/) and an in-memory profile store, one event per batch: what the campaigns decide.
 */
class PipelineWithShippedHandlersTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();
    private InMemoryProfileStore store;
    private BatchProcessor<CrmEvent> processor;
    private long offset;

    @BeforeEach
    void setUp() {
        store = new InMemoryProfileStore();
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
        CampaignGuard guard = new CampaignGuard(1, clock::millis, () -> CampaignControl.NONE, (c, r) -> { });
        CrmCore core = new CrmCore(() -> SHIPPED, InvocationPolicy.UNGUARDED, guard,
                new Triggers(SchemaCatalog.fromClasspath()), clock);
        processor = new BatchProcessor<>(store, core, new BatchProcessor.Settings(1, 5000, 0, 0, 10),
                clock, System::nanoTime, new BatchProcessor.Listener() {
                    @Override
                    public void storeFailed(String what, Throwable error, long backoffMillis) {
                        throw new AssertionError(what, error);
                    }

                    @Override
                    public void storeRecovered(long downMillis) {
                    }
                });
    }

    /** One event, one batch (a cache of 10 players, so states also come back from the store). */
    private CrmCore.Result run(CrmEvent e) {
        assertThat(processor.offer(e, e)).isTrue();
        BatchProcessor.Flushed<CrmEvent> f = processor.flush();
        assertThat(f.failed()).isEmpty();
        return f.acked().get(0).result();
    }

    private List<Triggers.Trigger> fights(String player, String... results) {
        List<Triggers.Trigger> out = new ArrayList<>();
        int seq = 0;
        for (String r : results) {
            out.addAll(run(Events.fight(player, seq++, r, 0, offset++)).triggers());
        }
        return out;
    }

    private Map<String, Object> profile(String player) {
        return Json.readObject(store.state(player).profileJson());
    }

    @Test
    void thirdLostFightInARowTriggersFourBattleTanks() {
        List<Triggers.Trigger> triggers = fights("bob", "won", "won", "lost", "lost", "lost");

        assertThat(triggers).singleElement().satisfies(t -> {
            Map<String, Object> m = Json.readObject(t.json());
            assertThat(m.get("campaign")).isEqualTo("battle-tanks-offer");
            assertThat(m.get("player_id")).isEqualTo("bob");
            assertThat(m.get("params")).isEqualTo(Map.of("units", 4));
            assertThat(m.get("cause_event_id")).isEqualTo(Events.id("bob", 4));
            assertThat(m.get("handler")).isEqualTo("tanks-after-three-losses");
            assertThat(m.get("trigger_id")).isEqualTo(Triggers.triggerId("battle-tanks-offer", "bob", Events.id("bob", 4)));
        });
        assertThat(profile("bob")).containsEntry("lost_streak", 3).containsEntry("fights", 5).containsEntry("wins", 2);
        assertThat(store.decisions()).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.FIRED);
            assertThat(d.triggerId()).isEqualTo(triggers.get(0).id());
        });
    }

    @Test
    void lossesThatAreNotConsecutiveTriggerNothing() {
        assertThat(fights("carol", "lost", "lost", "won", "lost", "draw", "lost")).isEmpty();
        assertThat(store.decisions()).isEmpty();
    }

    @Test
    void aSecondStreakOnTheSameDayIsSuppressedByTheDailyCapAndAudited() {
        List<Triggers.Trigger> triggers = fights("bob", "lost", "lost", "lost", "won", "lost", "lost", "lost");

        assertThat(triggers).hasSize(1);
        assertThat(store.decisions()).extracting(d -> d.outcome()).containsExactly(Outcome.FIRED, Outcome.CAP_PER_DAY);
        assertThat(store.decisions().get(1).reason()).contains("per player per day");
    }

    @Test
    void aReplayedEventIsNotAppliedTwiceAndReEmitsTheSameTrigger() {
        List<CrmEvent> story = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            story.add(Events.fight("bob", i, "lost", 3, 100 + i));
        }
        story.forEach(this::run);
        Map<String, Object> before = profile("bob");

        CrmCore.Result again = run(story.get(2));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.triggers()).singleElement().satisfies(t ->
                assertThat(t.id()).isEqualTo(Triggers.triggerId("battle-tanks-offer", "bob", Events.id("bob", 2))));
        assertThat(profile("bob")).isEqualTo(before);
        assertThat(run(story.get(0)).triggers()).isEmpty();
        assertThat(store.state("bob").version()).isEqualTo(3);
        assertThat(store.eventIds("bob")).hasSize(3);
        assertThat(store.decisions()).hasSize(1);
    }

    private CrmCore.Result runWith(String handlerSource, CampaignControl control, CrmEvent e) {
        HandlerSet set = HandlerSet.compile(List.of(io.gamecrm.handlers.HandlerFile.of("t.js", handlerSource))).set();
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
        CampaignGuard guard = new CampaignGuard(1, clock::millis, () -> control, (c, r) -> { });
        CrmCore core = new CrmCore(() -> set, InvocationPolicy.UNGUARDED, guard, new Triggers(SchemaCatalog.fromClasspath()),
                clock);
        return core.apply(e, PlayerState.fresh(e.playerId()));
    }

    private static final String ALWAYS = "crm.handler({name: 'always', on: ['login'], campaign: function (e, p, ctx) {"
            + " ctx.trigger('gift', {gems: 1}); }});";

    @Test
    void aShadowCampaignEmitsNothingButIsAudited() {
        CrmCore.Result r = runWith("crm.campaign({id: 'gift', mode: 'shadow'});" + ALWAYS, CampaignControl.NONE,
                Events.login("bob", 0, 0, 1));

        assertThat(r.triggers()).isEmpty();
        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.SHADOW);
            assertThat(d.triggerId()).isEqualTo(Triggers.triggerId("gift", "bob", Events.id("bob", 0)));
        });
    }

    @Test
    void aKilledCampaignEmitsNothingAndSaysWhy() {
        CrmCore.Result r = runWith("crm.campaign({id: 'gift', caps: {perPlayerPerDay: 100, budget: {max: 1000, per: '1m'}}});" + ALWAYS,
                new CampaignControl(Map.of("gift", "budget review"), Map.of()), Events.login("bob", 0, 0, 1));

        assertThat(r.triggers()).isEmpty();
        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.PAUSED);
            assertThat(d.reason()).contains("budget review");
        });
    }

    @Test
    void aFailingCampaignHandlerIsAuditedAsAnError() {
        CrmCore.Result r = runWith("crm.campaign({id: 'gift', caps: {perPlayerPerDay: 100, budget: {max: 1000, per: '1m'}}});"
                + "crm.handler({name: 'broken', on: ['login'], campaign: function (e, p, ctx) { null.x; }});",
                CampaignControl.NONE, Events.login("bob", 0, 0, 1));

        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.HANDLER_ERROR);
            assertThat(d.handler()).isEqualTo("broken");
        });
    }

    @Test
    void aTriggerBreakingTheSchemaIsNotEmittedButAudited() {
        CrmCore.Result r = runWith("crm.campaign({id: 'gift', caps: {perPlayerPerDay: 100, budget: {max: 1000, per: '1m'}}});"
                + "crm.handler({name: 'h', on: ['login'], campaign: function (e, p, ctx) { ctx.trigger('gift', {}); }});",
                CampaignControl.NONE, new CrmEvent(Events.id("bob", 0), "login", "", Instant.EPOCH, "{}", 0, 1, 0));

        assertThat(r.triggers()).isEmpty();
        assertThat(r.decisions()).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo(Outcome.INVALID_TRIGGER));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"deep", "long-key", "many-keys", "huge-string", "not-json"})
    void aStoredProfileThatBreaksTheLimitsIsRepairedAndThePlayersEventsGoOn(String poison) {
        String profile = switch (poison) {
            case "deep" -> "{\"logins\":4,\"deep\":" + "[".repeat(1001) + "1" + "]".repeat(1001) + "}";
            case "long-key" -> "{\"logins\":4,\"" + "k".repeat(60_000) + "\":1}";
            case "many-keys" -> {
                StringBuilder sb = new StringBuilder("{\"logins\":4");
                for (int i = 0; i < 600; i++) {
                    sb.append(",\"key").append(i).append("\":").append(i);
                }
                yield sb.append('}').toString();
            }
            case "huge-string" -> "{\"logins\":4,\"big\":\"" + "x".repeat(16_000_000) + "\"}";
            default -> "{\"logins\":4,";
        };
        PlayerState stored = new PlayerState("bob", profile, io.gamecrm.campaign.PlayerCampaigns.empty(), 7, Map.of(),
                List.of());
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
        CrmCore core = new CrmCore(() -> SHIPPED, InvocationPolicy.UNGUARDED,
                new CampaignGuard(1, clock::millis, () -> CampaignControl.NONE, (c, r) -> { }),
                new Triggers(SchemaCatalog.fromClasspath()), clock);

        CrmCore.Result first = core.apply(Events.login("bob", 0, 0, 1), stored);
        CrmCore.Result second = core.apply(Events.login("bob", 1, 0, 2), stored);

        assertThat(first.repair()).as("reported once, with the keys dropped").isNotNull();
        assertThat(first.failures()).isEmpty();
        assertThat(second.repair()).isNull();
        assertThat(second.failures()).isEmpty();
        Map<String, Object> after = Json.readObject(stored.profileJson());
        assertThat(after.get("logins")).isEqualTo(poison.equals("not-json") ? 2 : 6);
        assertThat(stored.profileJson().length()).isLessThanOrEqualTo(io.gamecrm.handlers.HandlerLimits.DEFAULTS.profileBytes());
    }

    @Test
    void eventsAreLoggedAndStatesVersionedPerPartition() {
        run(Events.login("bob", 0, 1, 7));
        run(Events.login("bob", 1, 1, 8));

        assertThat(store.state("bob").version()).isEqualTo(2);
        assertThat(store.state("bob").applied()).isEqualTo(Map.of(1, 8L));
        assertThat(store.eventIds("bob")).containsExactly(Events.id("bob", 0), Events.id("bob", 1));
        assertThat(profile("bob")).containsEntry("logins", 1 + 1);
    }
}
