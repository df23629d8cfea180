package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.feed.FeedState;
import io.gamecrm.feed.HandlerRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The kill switch succeeds only when the handlers topic the tasks follow shows the pause; a clock
 * driven by the reads stands in for time, so nothing here waits on the machine.
 */
class CampaignPauseTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();

    private FeedState feed(Map<String, String> paused) {
        reads.incrementAndGet();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // each read takes a second
        FeedState s = new FeedState();
        s.apply(HandlerRecords.CONTROL, HandlerRecords.controlValue(paused, "v" + reads.get()));
        return s;
    }

    @Test
    void thePauseIsInEffectOnceTheTopicShowsIt() throws Exception {
        CampaignCommand.Published p = CampaignCommand.awaitPublished("battle-tanks-offer", "too generous",
                Duration.ofSeconds(20), nanos::get,
                () -> feed(reads.get() < 2 ? Map.of() : Map.of("battle-tanks-offer", "too generous")));

        assertThat(p.seen()).isTrue();
        assertThat(p.version()).isEqualTo("v3");
    }

    @Test
    void aFolderThatNoWatcherPublishesIsNotInEffect() throws Exception {
        CampaignCommand.Published p = CampaignCommand.awaitPublished("battle-tanks-offer", "too generous",
                Duration.ofSeconds(5), nanos::get, () -> feed(Map.of("other", "x")));

        assertThat(p.seen()).isFalse();
        assertThat(reads.get()).isBetween(5, 6);
    }

    @Test
    void anOlderPauseWithAnotherReasonIsNotThisOne() throws Exception {
        CampaignCommand.Published p = CampaignCommand.awaitPublished("battle-tanks-offer", "too generous",
                Duration.ofSeconds(3), nanos::get, () -> feed(Map.of("battle-tanks-offer", "an old reason")));

        assertThat(p.seen()).isFalse();
    }

    @Test
    void theTasksThatTookThePauseAreTheOnesThatReportedItWithItsReason() {
        List<Map<String, Object>> events = List.of(
                Map.of("type", "campaign.control", "component", "crm", "task", 4,
                        "details", Map.of("paused", Map.of("battle-tanks-offer", "too generous"), "budgeted", Map.of())),
                Map.of("type", "campaign.control", "component", "crm", "task", 3,
                        "details", Map.of("paused", Map.of("battle-tanks-offer", "too generous"), "budgeted", Map.of())),
                Map.of("type", "campaign.control", "component", "crm", "task", 3,
                        "details", Map.of("paused", Map.of("battle-tanks-offer", "too generous"), "budgeted", Map.of())),
                Map.of("type", "campaign.control", "component", "crm", "task", 5,
                        "details", Map.of("paused", Map.of("battle-tanks-offer", "an old reason"), "budgeted", Map.of())),
                Map.of("type", "handlers.loaded", "component", "crm", "task", 6, "details", Map.of()));

        assertThat(CampaignCommand.tasksThatTook(events, "battle-tanks-offer", "too generous"))
                .containsExactly("crm#3", "crm#4");
    }
}
