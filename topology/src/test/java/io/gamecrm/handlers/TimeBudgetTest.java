package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of the time budgets (CPU time, read through a clock the test drives: no assertion here
 * depends on how fast or busy the machine is):
 * <ul>
 *   <li>an infinite loop is stopped and reported as a timeout; its writes are undone, the other handlers run</li>
 *   <li>an infinite loop wrapped in try/catch, in catch or in finally is stopped too</li>
 *   <li>runaway recursion is stopped</li>
 *   <li>a file whose top level never ends is rejected at load</li>
 *   <li>a handler that finishes keeps its effects</li>
 *   <li>the first calls of a handler in a new set get ten times the budget</li>
 *   <li>wall time passing without CPU time (a GC pause, a busy machine) does not stop a handler</li>
 *   <li>the handlers of one file share the file's budget on an event; all handlers share the event's</li>
 *   <li>a handler left without budget is skipped, reported, and not held against its breaker</li>
 * </ul>
 */
class TimeBudgetTest {
    /** A policy that records every invocation. */
    static final class Recording implements InvocationPolicy {
        final List<Invocation> invocations = new ArrayList<>();

        @Override
        public boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase) {
            return true;
        }

        @Override
        public void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
            invocations.add(invocation);
        }
    }

    private static HandlerRuntime runtime(ThreadClock clock, HandlerLimits limits) {
        return new HandlerRuntime(limits, Watchdog.shared(), clock);
    }

    /** A set whose 'runaway' handler runs body after one write, next to a 'fine' handler; warm already. */
    private static HandlerSet warmSet(String body, ThreadClock clock) {
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("f.js",
                "crm.handler({name: 'runaway', on: ['login'], writes: ['before', 'x', 'done'],"
                + " update: function (e, p) { p.set('before', 1); " + body + " }});"
                + "crm.handler({name: 'fine', on: ['login'], writes: ['fine'], update: function (e, p) { p.set('fine', 1); }});")),
                runtime(clock, HandlerLimits.DEFAULTS)).set();
        for (int i = 0; i < HandlerSet.WARM_CALLS; i++) {
            set.process("login", 0, "{}", null, new Recording());
        }
        return set;
    }

    private static void assertStopped(String body) {
        HandlerSet set = warmSet(body, new FakeThreadClock(5));
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(policy.invocations.get(0).kind()).isEqualTo(Invocation.Kind.TIMEOUT);
        assertThat(out.changes()).as("the runaway handler's writes are undone, the other handler ran")
                .isEqualTo(Map.of("fine", 1));
    }

    @Test
    void anInfiniteLoopIsStoppedWithinTheBudget() {
        assertStopped("while (true) {}");
    }

    @Test
    void anInfiniteLoopWrappedInTryCatchIsStopped() {
        assertStopped("while (true) { try { while (true) {} } catch (err) {} }");
    }

    @Test
    void anInfiniteLoopInCatchOrFinallyIsStopped() {
        assertStopped("try { for (;;) {} } catch (err) { for (;;) {} } finally { do {} while (true); }");
    }

    @Test
    void aFinallyThatReturnsDoesNotSaveARunawayLoop() {
        assertStopped("(function () { try { for (;;) {} } finally { return 1; } })(); for (;;) {}");
    }

    @Test
    void runawayRecursionIsStoppedWhateverItCatches() {
        // the stack overflow passes through the handler's catch blocks (they cannot swallow a Java error)
        HandlerSet set = warmSet("function f(n) { try { return f(n + 1) + f(n + 2); } catch (x) { return f(n); } } f(0);",
                new FakeThreadClock(5));
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(policy.invocations.get(0).kind()).isIn(Invocation.Kind.ERROR, Invocation.Kind.TIMEOUT);
        assertThat(out.failures()).singleElement().satisfies(f -> assertThat(f.handler()).isEqualTo("runaway"));
        assertThat(out.changes()).isEqualTo(Map.of("fine", 1));
    }

    @Test
    void aFileThatNeverFinishesLoadingIsRejected() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("slow.js", "while (true) {}")),
                runtime(new FakeThreadClock(5), HandlerLimits.DEFAULTS));

        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(HandlerProblem.Kind.LOAD_TIMEOUT);
            assertThat(p.reason()).contains("to load");
        });
    }

    @Test
    void aHandlerThatFinishesKeepsItsEffects() {
        HandlerSet set = warmSet("var x = 0; for (var i = 0; i < 1000; i++) { x += i; } p.set('x', x);", new FakeThreadClock(5));
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(out.changes()).containsEntry("x", 499500).containsEntry("fine", 1);
        assertThat(policy.invocations).allMatch(i -> i.kind() == Invocation.Kind.OK);
    }

    @Test
    void theFirstCallsOfANewSetHaveAWarmUpAllowance() {
        // 1 ms per call, 10 ms while warm; the loop makes one CPU probe, which reads 5 ms
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("f.js",
                "crm.handler({name: 'slowish', on: ['login'], writes: ['done'], update: function (e, p) {"
                + " for (var i = 0; i < 5000; i++) {} p.set('done', true); }});")),
                runtime(new FakeThreadClock(5), HandlerLimits.DEFAULTS.withBudgets(1, 100, 100))).set();
        Recording policy = new Recording();

        HandlerOutcome first = set.process("login", 0, "{}", null, policy);
        for (int i = 1; i < HandlerSet.WARM_CALLS; i++) {
            set.process("login", 0, "{}", null, policy);
        }
        HandlerOutcome afterWarmUp = set.process("login", 0, "{}", null, policy);

        assertThat(first.changes()).containsEntry("done", true);
        assertThat(afterWarmUp.failures()).singleElement().satisfies(f -> assertThat(f.kind())
                .isEqualTo(Invocation.Kind.TIMEOUT));
    }

    @Test
    void wallTimeWithoutCpuTimeDoesNotStopAHandler() {
        // a CPU clock that never moves: as if all the wall time went to pauses, not to computing
        ThreadClock still = new ThreadClock() {
            @Override
            public long wallNanos() {
                return System.nanoTime();
            }

            @Override
            public long cpuNanos() {
                return 1_000_000;
            }

            @Override
            public long allocatedBytes() {
                return 0;
            }
        };
        HandlerSet set = warmSet("var x = 0; for (var i = 0; i < 200000; i++) { x += i; } p.set('done', true);", still);
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(out.changes()).containsEntry("done", true);
        assertThat(policy.invocations).allMatch(i -> i.kind() == Invocation.Kind.OK);
    }

    @Test
    void theHandlersOfAFileShareItsBudgetAndSkippedOnesAreNotHeldAgainstThem() {
        // call 10 ms, file 15 ms; each handler's work is 6 ms: a and b fit (12 ms), c gets the 3 ms left
        // and times out, d finds nothing left and is skipped
        String slow = "function (e, p) { for (var i = 0; i < 5000; i++) {} p.incr('n'); }";
        StringBuilder file = new StringBuilder();
        for (String name : List.of("a", "b", "c", "d")) {
            file.append("crm.handler({name: '").append(name).append("', on: ['login'], writes: ['n'], update: ")
                    .append(slow).append("});");
        }
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("f.js", file.toString())),
                runtime(new FakeThreadClock(6), HandlerLimits.DEFAULTS.withBudgets(10, 15, 100))).set();
        for (int i = 0; i < HandlerSet.WARM_CALLS; i++) {
            set.process("login", 0, "{}", null, new Recording());
        }
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(out.failures()).extracting(HandlerFailure::handler, HandlerFailure::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c", Invocation.Kind.TIMEOUT),
                        org.assertj.core.groups.Tuple.tuple("d", Invocation.Kind.SKIPPED));
        assertThat(out.changes()).containsEntry("n", 2);
        assertThat(policy.invocations).as("the skipped handler is not recorded for its breaker").hasSize(3);
    }

    @Test
    void allHandlersOfAnEventShareTheEventsBudget() {
        String slow = "function (e, p) { for (var i = 0; i < 5000; i++) {} p.incr('n'); }";
        List<HandlerFile> files = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            files.add(HandlerFile.of("f" + f + ".js", "crm.handler({name: 'h" + f + "', on: ['login'], writes: ['n" + f
                    + "'], update: " + slow.replace("'n'", "'n" + f + "'") + "});"));
        }
        HandlerSet set = HandlerSet.compile(files,
                runtime(new FakeThreadClock(6), HandlerLimits.DEFAULTS.withBudgets(10, 10, 20))).set();
        for (int i = 0; i < HandlerSet.WARM_CALLS; i++) {
            set.process("login", 0, "{}", null, new Recording());
        }

        HandlerOutcome out = set.process("login", 0, "{}", null, new Recording());

        // 6 ms each against 20 ms for the event: h0, h1, h2 fit, h3 gets the 2 ms left and times out
        assertThat(out.changes()).containsOnlyKeys("n0", "n1", "n2");
        assertThat(out.failures()).extracting(HandlerFailure::handler, HandlerFailure::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("h3", Invocation.Kind.TIMEOUT));
    }
}
