package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.CampaignMode;
import io.gamecrm.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of the handler runtime:
 * <ul>
 *   <li>update handlers of the event's type run in file order, then campaign handlers see the result</li>
 *   <li>handlers of other event types do not run; "*" handlers run for every type</li>
 *   <li>events and profiles are plain JS objects; a handler cannot change the event for the next one</li>
 *   <li>a handler that throws is reported, its writes are undone, the others still run</li>
 *   <li>a campaign handler cannot write the profile</li>
 *   <li>ctx.trigger needs a declared campaign and object params</li>
 *   <li>a broken file is left out with a reason; the other files load</li>
 *   <li>scripts cannot reach Java</li>
 *   <li>a profile or ctx kept from an earlier call cannot change a later event's outcome</li>
 *   <li>one player's profile never leaks into the next event</li>
 * </ul>
 */
class HandlerSetTest {
    private static final String FIGHT_LOST = "{\"event_type\":\"fight\",\"payload\":{\"result\":\"lost\"}}";
    /** The caps every live campaign must declare. */
    static final String CAPS = "caps: {perPlayerPerDay: 100, budget: {max: 1000, per: '1m'}}";

    private static HandlerSet compileOk(HandlerFile... files) {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(files));
        assertThat(c.problems()).isEmpty();
        return c.set();
    }

    private static HandlerFile file(String name, String source) {
        return HandlerFile.of(name, source);
    }

    @Test
    void updateHandlersRunInFileOrderThenCampaignsSeeTheUpdatedProfile() {
        HandlerSet set = compileOk(
                file("a.js", "crm.handler({name: 'a', on: ['fight'], writes: ['trace'], update: function (e, p) { p.set('trace', 'a'); }});"),
                file("b.js", "crm.handler({name: 'b', on: ['fight'], writes: ['trace2'], update: function (e, p) {"
                        + " p.set('trace2', p.get('trace') + 'b'); }});"
                        + "crm.campaign({id: 'c1', " + CAPS + "});"
                        + "crm.handler({name: 'c', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('c1', {seen: p.get('trace2')}); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, null);

        assertThat(out.changes()).isEqualTo(Map.of("trace", "a", "trace2", "ab"));
        assertThat(out.requests()).singleElement().satisfies(r -> {
            assertThat(r.campaign()).isEqualTo("c1");
            assertThat(Json.readObject(r.paramsJson())).isEqualTo(Map.of("seen", "ab"));
            assertThat(r.handler()).isEqualTo("c");
            assertThat(r.file()).isEqualTo("b.js");
            assertThat(r.version()).isEqualTo(HandlerFile.versionOf(set.files().get("b.js").source()));
            assertThat(r.mode()).isEqualTo(CampaignMode.LIVE);
        });
    }

    @Test
    void handlersOfOtherTypesDoNotRunButWildcardHandlersDo() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'logins', on: ['login'], writes: ['logins'], update: function (e, p) { p.incr('logins'); }});"
                + "crm.handler({name: 'all', on: ['*'], writes: ['events'], update: function (e, p) { p.incr('events'); }});"));

        assertThat(set.process("fight", 0, FIGHT_LOST, null).changes()).isEqualTo(Map.of("events", 1));
        assertThat(set.process("login", 0, "{}", null).changes()).isEqualTo(Map.of("events", 1, "logins", 1));
    }

    @Test
    void profileIsReadFromJsonAndWrittenBackWhole() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'a', on: ['fight'], writes: ['n', 'gone'], update: function (e, p) { p.incr('n', 2); p.remove('gone'); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, "{\"n\":1,\"gone\":true,\"kept\":\"x\"}");

        assertThat(Json.readObject(out.profileJson())).isEqualTo(Map.of("n", 3, "kept", "x"));
        assertThat(out.changes()).containsEntry("n", 3).containsEntry("gone", null);
    }

    @Test
    void unchangedProfileIsReportedAsUnchanged() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'a', on: ['fight'], writes: ['n'], update: function (e, p) { p.get('n'); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, "{\"n\":1}");

        assertThat(out.profileChanged()).isFalse();
    }

    @Test
    void aHandlerCannotChangeTheEventForTheNextHandler() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'vandal', on: ['fight'], writes: ['x'], update: function (e, p) { e.payload.result = 'won'; }});"
                + "crm.handler({name: 'reader', on: ['fight'], writes: ['result'], update: function (e, p) { p.set('result', e.payload.result); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, null);

        assertThat(out.changes()).containsEntry("result", "lost");
    }

    @Test
    void aThrowingHandlerIsReportedItsWritesUndoneAndOthersStillRun() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'broken', on: ['fight'], writes: ['half'], update: function (e, p) { p.set('half', 1); null.x; }});"
                + "crm.handler({name: 'fine', on: ['fight'], writes: ['ok'], update: function (e, p) { p.set('ok', 1); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, null);

        assertThat(out.changes()).isEqualTo(Map.of("ok", 1));
        assertThat(out.failures()).singleElement().satisfies(f -> {
            assertThat(f.handler()).isEqualTo("broken");
            assertThat(f.phase()).isEqualTo(HandlerFailure.Phase.UPDATE);
            assertThat(f.message()).contains("TypeError");
        });
    }

    @Test
    void aCampaignHandlerCannotWriteTheProfile() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'sneaky', on: ['fight'], campaign: function (e, p, ctx) { p.set('units', 1000); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, null);

        assertThat(out.profileChanged()).isFalse();
        assertThat(out.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("read-only"));
    }

    @Test
    void triggerOfAnUndeclaredCampaignFails() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'h', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('nope', {}); }});"));

        HandlerOutcome out = set.process("fight", 0, FIGHT_LOST, null);

        assertThat(out.requests()).isEmpty();
        assertThat(out.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("unknown campaign"));
    }

    @Test
    void brokenFilesAreLeftOutWithAReasonAndTheOthersLoad() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(
                file("good.js", "crm.handler({name: 'g', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }});"),
                file("syntax.js", "crm.handler({name: 'x', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }"),
                file("empty.js", "var x = 1;"),
                file("shape.js", "crm.handler({name: 'y', on: 'login', update: function () {}});"),
                file("throws.js", "throw new Error('boom');"),
                file("clash.js", "crm.handler({name: 'g', on: ['login'], writes: ['m'], update: function (e, p) {}});"),
                file("keys.js", "crm.handler({name: 'k', on: ['login'], writes: ['n'], update: function (e, p) {}});")));

        assertThat(c.set().files()).containsOnlyKeys("good.js");
        assertThat(c.problems()).extracting(HandlerProblem::file, HandlerProblem::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("syntax.js", HandlerProblem.Kind.DOES_NOT_COMPILE),
                org.assertj.core.groups.Tuple.tuple("empty.js", HandlerProblem.Kind.NOTHING_REGISTERED),
                org.assertj.core.groups.Tuple.tuple("shape.js", HandlerProblem.Kind.INVALID_DECLARATION),
                org.assertj.core.groups.Tuple.tuple("throws.js", HandlerProblem.Kind.LOAD_ERROR),
                org.assertj.core.groups.Tuple.tuple("clash.js", HandlerProblem.Kind.CLASH),
                org.assertj.core.groups.Tuple.tuple("keys.js", HandlerProblem.Kind.CLASH));
        assertThat(c.problems()).extracting(HandlerProblem::reason).satisfiesExactly(
                r -> assertThat(r).contains("does not compile"),
                r -> assertThat(r).contains("registers no handler"),
                r -> assertThat(r).contains("'on' (event types"),
                r -> assertThat(r).contains("boom"),
                r -> assertThat(r).contains("already registered by good.js"),
                r -> assertThat(r).contains("profile key 'n'").contains("good.js"));
    }

    @Test
    void scriptsCannotReachJava() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(
                file("java.js", "var t = Java.type('java.lang.System'); crm.handler({name: 'j', on: ['login'], writes: ['a'], update: function () {}});"),
                file("packages.js", "var s = java.lang.System; crm.handler({name: 'k', on: ['login'], writes: ['b'], update: function () {}});")));

        assertThat(c.problems()).hasSize(2);
        assertThat(c.set().handlers()).isEmpty();
    }

    @Test
    void setVersionChangesWhenAFileChanges() {
        HandlerSet one = compileOk(file("a.js", "crm.handler({name: 'a', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }});"));
        HandlerSet same = compileOk(file("a.js", "crm.handler({name: 'a', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }});"));
        HandlerSet other = compileOk(file("a.js", "crm.handler({name: 'a', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n', 2); }});"));

        assertThat(one.version()).isEqualTo(same.version()).isNotEqualTo(other.version());
    }

    @Test
    void aProfileOrCtxKeptInAFileLevelVariableIsRefusedAtLoad() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(file("a.js",
                "var kept = null;"
                + "crm.handler({name: 'keep', on: ['login'], writes: ['logins'], update: function (e, p) { kept = p; }});")));

        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(HandlerProblem.Kind.DOES_NOT_COMPILE);
            assertThat(p.reason()).contains("'kept'").contains("keep state between events");
        });
    }

    @Test
    void aProfileOrCtxKeptInAnObjectMadeWhileLoadingCannotBeKept() {
        // the box is frozen once the file has loaded: keeping anything in it throws
        HandlerSet set = compileOk(file("a.js",
                "var box = {};"
                + "crm.campaign({id: 'c1', " + CAPS + "});"
                + "crm.handler({name: 'keep', on: ['login'], writes: ['logins'], update: function (e, p) { box.kept = p; p.incr('logins'); }});"
                + "crm.handler({name: 'keepCtx', on: ['login'], campaign: function (e, p, ctx) { box.ctx = ctx; }});"
                + "crm.handler({name: 'sneak', on: ['fight'], writes: ['tanks'], update: function (e, p) {"
                + "  if (box.ctx) { box.ctx.trigger('c1', {}); } if (box.kept) { box.kept.set('tanks', 4); } }});"));

        HandlerOutcome login = set.process("login", 0, "{}", null);
        HandlerOutcome fight = set.process("fight", 0, FIGHT_LOST, "{\"logins\":1}");

        assertThat(login.failures()).extracting(HandlerFailure::handler).containsExactlyInAnyOrder("keep", "keepCtx");
        assertThat(fight.requests()).isEmpty();
        assertThat(fight.profileChanged()).isFalse();
    }

    @Test
    void onePlayersProfileNeverLeaksIntoTheNextEvent() {
        HandlerSet set = compileOk(file("a.js",
                "crm.handler({name: 'a', on: ['login'], writes: ['logins', 'seen_vip'], update: function (e, p) {"
                + " p.incr('logins'); if (p.has('vip')) { p.set('seen_vip', true); } }});"));

        HandlerOutcome vip = set.process("login", 0, "{}", "{\"vip\":true,\"logins\":7}");
        HandlerOutcome fresh = set.process("login", 0, "{}", null);

        assertThat(Json.readObject(vip.profileJson())).isEqualTo(Map.of("vip", true, "logins", 8, "seen_vip", true));
        assertThat(Json.readObject(fresh.profileJson())).isEqualTo(Map.of("logins", 1));
        assertThat(fresh.changes()).isEqualTo(Map.of("logins", 1));
    }
}
