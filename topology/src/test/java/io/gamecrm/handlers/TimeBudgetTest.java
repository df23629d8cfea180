package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of the time budget:
 * <ul>
 *   <li>an infinite loop is stopped within the budget and reported as a timeout</li>
 *   <li>an infinite loop wrapped in try/catch, in catch or in finally is stopped too</li>
 *   <li>runaway recursion is stopped</li>
 *   <li>a timed-out handler's profile writes are undone; the other handlers still run</li>
 *   <li>a file whose top level never ends is rejected at load</li>
 *   <li>a handler that finishes, even late, keeps its effects</li>
 *   <li>the first calls of a handler in a new set get a warm-up allowance</li>
 *   <li>the budget is the thread's CPU time: wall time passing without CPU (a GC pause, a busy
 *       machine) does not stop a handler</li>
 * </ul>
 */
class TimeBudgetTest {
    private static final long BUDGET_MS = 20;

    /** A policy with the test budget that records every invocation. */
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

        @Override
        public long budgetMillis() {
            return BUDGET_MS;
        }
    }

    private static HandlerSet warmSet(String body) {
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("f.js",
                "crm.handler({name: 'runaway', on: ['login'], update: function (e, p) { p.set('before', 1); " + body + " }});"
                + "crm.handler({name: 'fine', on: ['login'], update: function (e, p) { p.set('fine', 1); }});"))).set();
        // use up the warm-up allowance on a harmless event type first
        for (int i = 0; i < HandlerSet.WARM_CALLS; i++) {
            set.process("login", 0, "{}", null, new Recording());
        }
        return set;
    }

    private static Invocation runOnce(HandlerSet set, Recording policy, Map<String, Object>[] changes) {
        HandlerOutcome out = set.process("login", 0, "{}", null, policy);
        changes[0] = out.changes();
        return policy.invocations.get(0);
    }

    @SuppressWarnings("unchecked")
    private static void assertStopped(String body) {
        HandlerSet set = warmSet(body);
        Recording policy = new Recording();
        Map<String, Object>[] changes = new Map[1];
        long t0 = System.nanoTime();

        Invocation inv = runOnce(set, policy, changes);

        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(inv.kind()).isEqualTo(Invocation.Kind.TIMEOUT);
        assertThat(ms).as("stopped after %d ms", ms).isLessThan(BUDGET_MS + 500);
        assertThat(changes[0]).as("the runaway handler's writes are undone, the other handler ran")
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
    void runawayRecursionIsStopped() {
        assertStopped("function f(n) { try { return f(n + 1) + f(n + 2); } catch (x) { return f(n); } } f(0);");
    }

    @Test
    void aFileThatNeverFinishesLoadingIsRejected() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("slow.js", "while (true) {}")), 100);

        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("to load"));
    }

    @Test
    void aHandlerThatFinishesKeepsItsEffects() {
        HandlerSet set = warmSet("var x = 0; for (var i = 0; i < 1000; i++) { x += i; } p.set('x', x);");
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(out.changes()).containsEntry("x", 499500).containsEntry("fine", 1);
        assertThat(policy.invocations).allMatch(i -> i.kind() == Invocation.Kind.OK);
    }

    @Test
    void theFirstCallsOfANewSetHaveAWarmUpAllowance() {
        HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("f.js",
                "crm.handler({name: 'slowish', on: ['login'], update: function (e, p) {"
                + " var end = Date.now() + 40; while (Date.now() < end) {} p.set('done', true); }});"))).set();
        Recording policy = new Recording();

        HandlerOutcome first = set.process("login", 0, "{}", null, policy);
        for (int i = 1; i < HandlerSet.WARM_CALLS; i++) {
            set.process("login", 0, "{}", null, policy);
        }
        HandlerOutcome afterWarmUp = set.process("login", 0, "{}", null, policy);

        assertThat(first.changes()).containsEntry("done", true);
        assertThat(afterWarmUp.failures()).singleElement().satisfies(f -> assertThat(f.timeout()).isTrue());
    }

    @Test
    void wallTimeWithoutCpuTimeDoesNotStopAHandler() {
        HandlerSet set = warmSet("var end = Date.now() + 60; while (Date.now() < end) {} p.set('done', true);");
        // a CPU clock that does not move: as if the 60 ms were spent paused, not computing
        set.useCpuClock(new org.openjdk.nashorn.api.scripting.AbstractJSObject() {
            @Override
            public boolean isFunction() {
                return true;
            }

            @Override
            public Object call(Object thiz, Object... args) {
                return 1_000_000.0;
            }
        });
        Recording policy = new Recording();

        HandlerOutcome out = set.process("login", 0, "{}", null, policy);

        assertThat(out.changes()).containsEntry("done", true);
        assertThat(policy.invocations).allMatch(i -> i.kind() == Invocation.Kind.OK);
    }
}
