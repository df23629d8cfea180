package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spec of the watchdog, on calls that never end by construction (catastrophic backtracking in one
 * built-in call), with a deadline of 50 ms of CPU time:
 * <ul>
 *   <li>a call stuck inside a built-in is stopped, reported as STOPPED, and the thread goes on,
 *       not interrupted</li>
 *   <li>the other files' handlers of the event still run (the stuck call spends only its own file's
 *       budget); the file's other handlers run on the next event (its script global was rebuilt)</li>
 *   <li>its breaker opens at once</li>
 *   <li>a file whose top level is stuck in a built-in is rejected; the other files load</li>
 *   <li>warming up a set with such a handler ends</li>
 *   <li>a call that allocates past its memory limit inside one built-in is stopped as MEMORY, also
 *       while loading (LOAD_MEMORY); the watchdog's clock here says every look saw 1 GB more (once
 *       the file is loaded), and never any CPU or wall time, so memory is the only way out</li>
 * </ul>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class WatchdogTest {
    private static final String WEDGE = "/^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')";
    private static final Watchdog WATCHDOG = new Watchdog(Watchdog.Clock.SYSTEM, 5, 1000);
    private static final HandlerRuntime RUNTIME = new HandlerRuntime(HandlerLimits.DEFAULTS.withDeadlines(50, 1000),
            WATCHDOG, ThreadClock.SYSTEM);

    private static HandlerSet set(String source) {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("w.js", source),
                HandlerFile.of("other.js", "crm.handler({name: 'other', on: ['login'], writes: ['other'],"
                        + " update: function (e, p) { p.incr('other'); }});")), RUNTIME);
        assertThat(c.problems()).isEmpty();
        return c.set();
    }

    @Test
    void aCallStuckInABuiltInIsStoppedAndEveryOtherHandlerStillRuns() {
        HandlerSet set = set("crm.handler({name: 'wedge', on: ['login'], writes: ['w'], update: function (e, p) {"
                + " if (e.payload.wedge) { p.set('w', " + WEDGE + "); } }});"
                + "crm.handler({name: 'fine', on: ['login'], writes: ['fine'], update: function (e, p) { p.incr('fine'); }});");
        long stops = WATCHDOG.stops();

        HandlerOutcome stuck = set.process("login", 0, "{\"payload\":{\"wedge\":true}}", null);
        boolean interrupted = Thread.currentThread().isInterrupted();
        HandlerOutcome next = set.process("login", 0, "{\"payload\":{}}", null);

        // a stop interrupts the thread too: left set, the thread's next wait (a Kafka poll) would fail for ever
        assertThat(interrupted).as("the stop leaves the thread uninterrupted").isFalse();
        assertThat(stuck.failures().get(0)).satisfies(f -> {
            assertThat(f.handler()).isEqualTo("wedge");
            assertThat(f.kind()).isEqualTo(Invocation.Kind.STOPPED);
            assertThat(f.message()).contains("stopped by the watchdog");
        });
        // the stuck call spent its file's budget: the file's next handler may be skipped, another file's runs
        assertThat(stuck.failures()).extracting(HandlerFailure::kind).isSubsetOf(Invocation.Kind.STOPPED,
                Invocation.Kind.SKIPPED);
        assertThat(stuck.changes()).containsEntry("other", 1).doesNotContainKey("w");
        assertThat(next.failures()).isEmpty();
        assertThat(next.changes()).containsEntry("fine", 1).containsEntry("other", 1);
        assertThat(WATCHDOG.stops()).isGreaterThan(stops);
    }

    @Test
    void aStoppedHandlerIsDisabledAtOnce() {
        HandlerSet set = set("crm.handler({name: 'wedge', on: ['login'], writes: ['w'], update: function (e, p) {"
                + " p.set('w', " + WEDGE + "); }});");
        java.util.List<String> reports = new java.util.ArrayList<>();
        HandlerBreakers breakers = new HandlerBreakers(BreakerSettings.DEFAULTS, () -> 0, new HandlerBreakers.Listener() {
            @Override
            public void disabled(HandlerSet.Handler handler, String reason) {
                reports.add(handler.name() + ": " + reason);
            }

            @Override
            public void enabled(HandlerSet.Handler handler) {
            }
        });

        set.process("login", 0, "{\"payload\":{}}", null, breakers);
        HandlerOutcome later = set.process("login", 0, "{\"payload\":{}}", null, breakers);

        assertThat(reports).singleElement().satisfies(r -> assertThat(r).startsWith("wedge: the watchdog had to stop it"));
        assertThat(later.failures()).isEmpty();
        assertThat(later.changes()).containsEntry("other", 1);
    }

    @Test
    void aFileStuckInABuiltInWhileLoadingIsRejectedAndTheOthersLoad() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(
                HandlerFile.of("stuck.js", "var x = " + WEDGE + ";"),
                HandlerFile.of("other.js", "crm.handler({name: 'other', on: ['login'], writes: ['other'],"
                        + " update: function (e, p) { p.incr('other'); }});")), RUNTIME);

        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("stuck.js");
            assertThat(p.kind()).isEqualTo(HandlerProblem.Kind.LOAD_STOPPED);
        });
        assertThat(c.set().process("login", 0, "{}", null).changes()).containsEntry("other", 1);
    }

    @Test
    void warmingUpASetWithAStuckHandlerEnds() {
        HandlerSet set = set("crm.handler({name: 'wedge', on: ['fight', 'login'], writes: ['w'], update: function (e, p) {"
                + " p.set('w', " + WEDGE + "); }});");

        set.warmUp(io.gamecrm.validation.SchemaCatalog.fromClasspath().validExamples(), 60_000);

        assertThat(set.process("login", 0, "{}", null).changes()).containsEntry("other", 1);
    }

    /** Time stands still; once armed, the watched thread allocated 1 GB more at every look. */
    private static final class AllocatingClock implements Watchdog.Clock {
        private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean armed;

        @Override
        public long wallNanos() {
            return 0;
        }

        @Override
        public long cpuNanos(Thread thread) {
            return 0;
        }

        @Override
        public long allocatedBytes(Thread thread) {
            return armed ? bytes.addAndGet(1L << 30) : bytes.get();
        }
    }

    @Test
    void aCallThatAllocatesTooMuchInsideABuiltInIsStoppedForItsMemory() {
        AllocatingClock clock = new AllocatingClock();
        HandlerRuntime runtime = new HandlerRuntime(HandlerLimits.DEFAULTS.withDeadlines(50, 1000),
                new Watchdog(clock, 5, 1000), ThreadClock.SYSTEM);
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("w.js",
                "crm.handler({name: 'wedge', on: ['login'], writes: ['w'], update: function (e, p) {"
                + " p.set('w', " + WEDGE + "); }});")), runtime);
        assertThat(c.problems()).isEmpty();
        clock.armed = true; // loaded: from now on only the call can be what allocates

        HandlerOutcome out = c.set().process("login", 0, "{}", null);

        assertThat(out.failures()).singleElement().satisfies(f -> {
            assertThat(f.handler()).isEqualTo("wedge");
            assertThat(f.kind()).isEqualTo(Invocation.Kind.MEMORY);
            assertThat(f.message()).contains("MB in one call").contains("watchdog");
        });
        assertThat(out.changes()).doesNotContainKey("w");
    }

    @Test
    void aFileThatAllocatesTooMuchInsideABuiltInWhileLoadingIsRejectedForItsMemory() {
        AllocatingClock clock = new AllocatingClock();
        clock.armed = true; // the file never ends loading: only its memory can stop it (compiling is not counted)
        HandlerRuntime runtime = new HandlerRuntime(HandlerLimits.DEFAULTS.withDeadlines(50, 1000),
                new Watchdog(clock, 5, 1000), ThreadClock.SYSTEM);
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("stuck.js", "var x = " + WEDGE + ";")),
                runtime);

        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(HandlerProblem.Kind.LOAD_MEMORY);
            assertThat(p.reason()).contains("watchdog");
        });
    }
}
