package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exposure and conversion rows through the write-behind: written with the events that make them
 * (keyed, so a rewrite keeps one row), the open exposure committed with the player's state; a
 * converting event whose state write failed is replayed and still makes one conversion; a replay
 * of an applied event makes none.
 */
class ConversionRecordsTest {
    private static final String GIFT = "crm.campaign({id: 'gift', caps: {perPlayerPerDay: 1,"
            + " budget: {max: 100000, per: '1m'}}, conversion: {on: 'purchase', within: '24h', value: 'price'}});"
            + "crm.handler({name: 'always', on: ['login'], campaign: function (e, p, ctx) {"
            + " ctx.trigger('gift', {gems: 1}); }});";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final String PURCHASE = "{\"item_id\":\"gems\",\"quantity\":1,\"price\":4.99,\"currency\":\"EUR\"}";

    private final HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("t.js", GIFT))).set();
    private final BatchProcessorTest.FlakyStore store = new BatchProcessorTest.FlakyStore();
    private long nanos;
    private final BatchProcessor<CrmEvent> processor = new BatchProcessor<>(store, new CrmCore(() -> set,
            InvocationPolicy.UNGUARDED, new CampaignGuard(1, CLOCK::millis, () -> CampaignControl.NONE, (c, r) -> { }),
            new Triggers(SchemaCatalog.fromClasspath()), CLOCK), new BatchProcessor.Settings(100, 1000, 100, 800, 1000),
            CLOCK, () -> nanos, new BatchProcessor.Listener() {
                @Override
                public void storeFailed(String what, Throwable error, long backoffMillis) {
                }

                @Override
                public void storeRecovered(long downMillis) {
                }
            });

    /** The conversions of the acked inputs, as the metrics would count them. */
    private List<Conversion> flush(CrmEvent... events) {
        for (CrmEvent e : events) {
            processor.offer(e, e);
        }
        List<Conversion> counted = new ArrayList<>();
        processor.flush().acked().forEach(a -> counted.addAll(a.result().conversions()));
        return counted;
    }

    @Test
    void aConversionIsWrittenAndCountedOnceThroughAFailedStateWriteAndReplays() {
        CrmEvent login = Events.login("bob", 0, 0, 0);
        CrmEvent buy = Events.of("purchase", "bob", 1, 3600, PURCHASE, 0, 1);
        flush(login);
        assertThat(store.data.exposures()).singleElement()
                .satisfies(x -> assertThat(x.triggerId()).isEqualTo(Triggers.triggerId("gift", "bob", login.eventId())));
        assertThat(store.data.state("bob").exposures().open()).hasSize(1);

        store.failSavesOf.add("bob");
        List<Conversion> failedAttempt = flush(buy);
        store.failSavesOf.clear();
        nanos += 1_000_000_000L; // past the back-off
        List<Conversion> replayed = flush(buy);
        List<Conversion> replayedAgain = flush(buy);

        assertThat(failedAttempt).as("not acked: not counted").isEmpty();
        assertThat(replayed).hasSize(1);
        assertThat(replayedAgain).as("a replay of an applied event").isEmpty();
        assertThat(store.data.conversions()).singleElement().satisfies(c -> {
            assertThat(c.eventId()).isEqualTo(buy.eventId());
            assertThat(c.value()).isEqualTo(4.99);
        });
        assertThat(store.data.state("bob").exposures().isEmpty()).isTrue();
    }
}
