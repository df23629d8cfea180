package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of the circuit breakers:
 * <ul>
 *   <li>a handler that fails N times in a row is disabled and reported once</li>
 *   <li>a success in between resets the count</li>
 *   <li>M timeouts (CPU or memory budget) within the window disable a handler</li>
 *   <li>a call the watchdog had to stop disables the handler at once</li>
 *   <li>a disabled handler is skipped while every other handler keeps running</li>
 *   <li>after the cool-down one trial run: success enables it, failure disables it again</li>
 *   <li>a new version of the handler's file resets its breaker</li>
 * </ul>
 */
class HandlerBreakersTest {
    private long now = 1_000_000;
    private final List<String> events = new ArrayList<>();
    private final BreakerSettings settings = new BreakerSettings(3, 2, 60_000, 10_000);
    private final HandlerBreakers breakers = new HandlerBreakers(settings, () -> now, new HandlerBreakers.Listener() {
        @Override
        public void disabled(HandlerSet.Handler handler, String reason) {
            events.add("disabled " + handler.name() + ": " + reason);
        }

        @Override
        public void enabled(HandlerSet.Handler handler) {
            events.add("enabled " + handler.name());
        }
    });

    private static HandlerSet.Handler handler(String name, String version) {
        return new HandlerSet.Handler(name, new HandlerFile(name + ".js", "", version), List.of("login"), List.of("n"),
                true, false, 0, 0, 0);
    }

    private final HandlerSet.Handler h = handler("h", "v1");

    private void fail(HandlerSet.Handler handler) {
        breakers.record(handler, HandlerFailure.Phase.UPDATE, new Invocation(Invocation.Kind.ERROR, 1, "boom"));
    }

    private void timeout(HandlerSet.Handler handler) {
        breakers.record(handler, HandlerFailure.Phase.UPDATE, new Invocation(Invocation.Kind.TIMEOUT, 1, "slow"));
    }

    private void ok(HandlerSet.Handler handler) {
        breakers.record(handler, HandlerFailure.Phase.UPDATE, new Invocation(Invocation.Kind.OK, 1, null));
    }

    private boolean allowed(HandlerSet.Handler handler) {
        return breakers.allowed(handler, HandlerFailure.Phase.UPDATE);
    }

    @Test
    void aHandlerFailingNTimesInARowIsDisabledAndReportedOnce() {
        fail(h);
        fail(h);
        assertThat(allowed(h)).isTrue();
        fail(h);

        assertThat(allowed(h)).isFalse();
        assertThat(events).singleElement().satisfies(e -> assertThat(e).startsWith("disabled h: 3 failures in a row"));
    }

    @Test
    void aSuccessResetsTheCount() {
        fail(h);
        fail(h);
        ok(h);
        fail(h);
        fail(h);

        assertThat(allowed(h)).isTrue();
    }

    @Test
    void timeoutsWithinTheWindowDisableAHandler() {
        timeout(h);
        ok(h);
        timeout(h);

        assertThat(allowed(h)).isFalse();
        assertThat(events.get(0)).contains("2 timeouts within 60 s");
    }

    @Test
    void aMemoryBudgetOverrunCountsAsATimeout() {
        breakers.record(h, HandlerFailure.Phase.UPDATE, new Invocation(Invocation.Kind.MEMORY, 1, "big"));
        timeout(h);

        assertThat(allowed(h)).isFalse();
    }

    @Test
    void aCallTheWatchdogStoppedDisablesTheHandlerAtOnce() {
        breakers.record(h, HandlerFailure.Phase.UPDATE, new Invocation(Invocation.Kind.STOPPED, 1, "wedged"));

        assertThat(allowed(h)).isFalse();
        assertThat(events).singleElement().satisfies(e -> assertThat(e).contains("the watchdog had to stop it"));
    }

    @Test
    void timeoutsOutsideTheWindowDoNot() {
        timeout(h);
        now += 61_000;
        ok(h);
        timeout(h);

        assertThat(allowed(h)).isTrue();
    }

    @Test
    void aDisabledHandlerIsSkippedWhileOthersRun() {
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("f.js",
                "crm.handler({name: 'bad', on: ['login'], writes: ['b'], update: function (e, p) { null.x; }});"
                + "crm.handler({name: 'good', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }});"))).set();
        for (int i = 0; i < 3; i++) {
            set.process("login", 0, "{}", null, breakers);
        }

        HandlerOutcome out = set.process("login", 0, "{}", null, breakers);

        assertThat(out.failures()).isEmpty();
        assertThat(out.changes()).isEqualTo(Map.of("n", 1));
        assertThat(events).singleElement().satisfies(e -> assertThat(e).startsWith("disabled bad"));
    }

    @Test
    void afterTheCoolDownASuccessfulTrialEnablesIt() {
        fail(h);
        fail(h);
        fail(h);
        now += 10_000;

        assertThat(allowed(h)).isTrue();
        ok(h);

        assertThat(allowed(h)).isTrue();
        assertThat(events).last().isEqualTo("enabled h");
    }

    @Test
    void afterTheCoolDownAFailedTrialDisablesItAgain() {
        fail(h);
        fail(h);
        fail(h);
        now += 10_000;
        assertThat(allowed(h)).isTrue();

        fail(h);

        assertThat(allowed(h)).isFalse();
        assertThat(events).last().asString().contains("failed its trial run");
    }

    @Test
    void aNewVersionOfTheFileResetsItsBreaker() {
        fail(h);
        fail(h);
        fail(h);

        assertThat(allowed(handler("h", "v2"))).isTrue();
    }
}
