package io.gamecrm.bench;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import io.gamecrm.handlers.BreakerSettings;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidEvent;
import io.gamecrm.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event core without I/O, in nanoseconds per event, on the realistic traffic mix (about
 * 400-byte events, 1,000 players) with the shipped handlers:
 * <ul>
 *   <li>{@code validate}: bytes to a valid event (UTF-8, Jackson, envelope and payload schemas);</li>
 *   <li>{@code dispatch}: the handlers of the event's type on the player's profile (JS);</li>
 *   <li>{@code apply}: what the CRM task does per event in memory: replay check, handlers with the
 *       time budget and breakers, campaign guardrails, trigger building and checking, state update;</li>
 *   <li>{@code core}: validate + apply, the whole per-event cost without I/O.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class CoreBenchmark {
    private static final int N = 4096;

    private byte[][] raw;
    private ValidEvent[] valid;
    private String[] profiles;
    private EventValidator validator;
    private HandlerSet shipped;
    private CrmCore core;
    private final Map<String, PlayerState> states = new HashMap<>();
    private long offset;
    private int i;

    @Setup
    public void setUp() {
        SchemaCatalog catalog = SchemaCatalog.fromClasspath();
        validator = new EventValidator(catalog, EventValidator.DEFAULT_MAX_BYTES);
        shipped = HandlerSet.compile(HandlerDirectory.read(BenchData.repo().resolve("handlers-js"))).set();
        shipped.warmUp(catalog.validExamples());
        List<GameTraffic.Event> events = BenchData.events(N);
        raw = new byte[N][];
        valid = new ValidEvent[N];
        profiles = new String[N];
        for (int k = 0; k < N; k++) {
            raw[k] = events.get(k).json().getBytes(StandardCharsets.UTF_8);
            valid[k] = ((ValidationResult.Valid) validator.validate(raw[k])).event();
            profiles[k] = "{\"logins\":12,\"fights\":40,\"wins\":20,\"lost_streak\":1,\"platform\":\"ios\"}";
        }
        CampaignGuard guard = new CampaignGuard(1, System::currentTimeMillis, () -> CampaignControl.NONE, (c, r) -> { });
        HandlerBreakers breakers = new HandlerBreakers(BreakerSettings.DEFAULTS, System::currentTimeMillis,
                new HandlerBreakers.Listener() {
                    @Override
                    public void disabled(HandlerSet.Handler handler, String reason) {
                    }

                    @Override
                    public void enabled(HandlerSet.Handler handler) {
                    }
                });
        core = new CrmCore(() -> shipped, breakers, guard, new Triggers(catalog), Clock.systemUTC(),
                DailyMetrics.of("lost_streak", 20));
    }

    @Benchmark
    public Object validate() {
        return validator.validate(raw[i++ & (N - 1)]);
    }

    @Benchmark
    public Object dispatch() {
        int k = i++ & (N - 1);
        ValidEvent e = valid[k];
        return shipped.process(e.eventType(), e.timestamp().toEpochMilli(), e.json(), profiles[k]);
    }

    @Benchmark
    public Object apply() {
        return applyEvent(valid[i++ & (N - 1)]);
    }

    @Benchmark
    public Object core() {
        ValidationResult r = validator.validate(raw[i++ & (N - 1)]);
        return applyEvent(((ValidationResult.Valid) r).event());
    }

    private CrmCore.Result applyEvent(ValidEvent e) {
        PlayerState state = states.computeIfAbsent(e.playerId(), PlayerState::fresh);
        CrmEvent event = new CrmEvent(e.eventId(), e.eventType(), e.playerId(), e.timestamp(), e.json(), 0, offset++,
                e.timestamp().toEpochMilli());
        return core.apply(event, state);
    }
}
