package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.handlers.BreakerSettings;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The handler swap: no set until the source has one; a new set is taken once and reported as
 * {@code handlers.loaded}, after the problems of its files; a new campaign control is passed on
 * once, with the previous one; a source with no set in time is reported as
 * {@code handlers.waiting}.
 */
class HandlerSwapTest {
    private static final HandlerSet SET = HandlerSet.compile(List.of(HandlerFile.of("t.js",
            "crm.handler({name: 'always', on: ['login'], campaign: function (e, p, ctx) {"
                    + " ctx.trigger('gift', {gems: 1}); }});"))).set();

    private final FakeSource source = new FakeSource();
    private final List<HandlerReport> reports = new ArrayList<>();
    private final List<List<CampaignControl>> controls = new ArrayList<>();
    private final HandlerSwap swap = new HandlerSwap(source, new HandlerBreakers(BreakerSettings.DEFAULTS, () -> 0L,
            new HandlerBreakers.Listener() {
                @Override
                public void disabled(HandlerSet.Handler handler, String reason) {
                }

                @Override
                public void enabled(HandlerSet.Handler handler) {
                }
            }), reports::add, (before, after) -> controls.add(List.of(before, after)));

    static final class FakeSource implements HandlerSource {
        HandlerSource.Loaded loaded;
        CampaignControl control = CampaignControl.NONE;
        boolean arrives = true;
        String lastError;

        @Override
        public boolean awaitFirst(Duration timeout) {
            return arrives;
        }

        @Override
        public HandlerSource.Loaded takeLoaded() {
            HandlerSource.Loaded l = loaded;
            loaded = null;
            return l;
        }

        @Override
        public CampaignControl control() {
            return control;
        }

        @Override
        public String lastError() {
            return lastError;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void noSetIsInEffectUntilTheSourceHasOne() {
        assertThat(swap.swapIfNew()).isFalse();
        assertThat(swap.handlers()).isNull();
        assertThat(reports).isEmpty();
    }

    @Test
    void aNewSetIsTakenOnceAndReportedAfterTheProblemsOfItsFiles() {
        HandlerProblem problem = new HandlerProblem("bad.js", "v2", HandlerProblem.Kind.DOES_NOT_COMPILE, "syntax");
        source.loaded = new HandlerSource.Loaded(SET, 7, List.of(problem), 42);

        assertThat(swap.swapIfNew()).isTrue();
        assertThat(swap.swapIfNew()).isTrue();

        assertThat(swap.handlers()).isSameAs(SET);
        assertThat(reports).extracting(HandlerReport::type).containsExactly("handlers.rejected", "handlers.loaded");
        assertThat(reports.get(0)).isEqualTo(HandlerReport.rejected(problem, "loaded"));
        HandlerReport loaded = reports.get(1);
        assertThat(loaded.level()).isEqualTo(HandlerReport.Level.INFO);
        assertThat(loaded.message()).isEqualTo("handler set " + SET.version() + " (1 files, manifest 7) in effect");
        assertThat(loaded.details()).containsExactly(Map.entry("set_version", SET.version()),
                Map.entry("manifest_seq", 7L), Map.entry("files", Map.of("t.js", SET.files().get("t.js").version())),
                Map.entry("campaigns", List.copyOf(SET.campaigns().keySet())), Map.entry("compile_ms", 42L));
    }

    @Test
    void aNewCampaignControlIsPassedOnOnceWithThePreviousOne() {
        CampaignControl paused = new CampaignControl(Map.of("tanks", "by ops"), Map.of());
        source.control = paused;

        swap.swapIfNew();
        swap.swapIfNew();

        assertThat(controls).containsExactly(List.of(CampaignControl.NONE, paused));
        assertThat(swap.control()).isSameAs(paused);
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(HandlerSwap.CONTROL_REPORT);
            assertThat(r.details()).containsEntry("paused", Map.of("tanks", "by ops"));
        });
    }

    @Test
    void aSourceWithoutASetInTimeIsReportedAsWaiting() {
        source.arrives = false;
        source.lastError = "no broker";

        swap.awaitFirst(Duration.ofMillis(1500), "crm-handlers");

        assertThat(reports).containsExactly(new HandlerReport(HandlerReport.Level.WARN, "handlers.waiting",
                "no handler set on crm-handlers after 1500 ms; events are failed for replay until one arrives"
                        + " (no broker)", Map.of()));
    }

    @Test
    void aSetInTimeIsNotReported() {
        swap.awaitFirst(Duration.ofMillis(1500), "crm-handlers");

        assertThat(reports).isEmpty();
    }
}
