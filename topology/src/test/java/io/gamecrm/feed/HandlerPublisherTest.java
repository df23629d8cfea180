package io.gamecrm.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of hot reload, publisher side, and of the tasks' view of the topic:
 * <ul>
 *   <li>a new file is published, then a manifest listing it</li>
 *   <li>a syntax error keeps the old version: nothing is published, the reason is given</li>
 *   <li>a file that would break another one (same handler name) is rejected</li>
 *   <li>a deleted file is tombstoned and leaves the manifest</li>
 *   <li>a rejected version is not tried again until the file changes</li>
 *   <li>the file published first keeps its campaign, whatever the file names; a file that clashed is
 *       tried again when the clash is gone; of two new files in one scan, the older keeps it</li>
 *   <li>the manifest lists the files in publication order, and a task compiles them in that order</li>
 *   <li>control.json (the kill switch) is published; a broken one keeps the previous</li>
 *   <li>a task switches sets only on a manifest whose files have all arrived</li>
 *   <li>tasks reading the same topic converge on the same set version</li>
 * </ul>
 */
class HandlerPublisherTest {
    private static final String A1 = "crm.handler({name: 'a', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }});";
    private static final String A2 = "crm.handler({name: 'a', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n', 2); }});";
    private static final String B = "crm.handler({name: 'b', on: ['fight'], writes: ['f'], update: function (e, p) { p.incr('f'); }});";

    private final FeedState topic = new FeedState();
    private final List<String[]> log = new java.util.ArrayList<>();
    private final HandlerPublisher publisher = new HandlerPublisher(io.gamecrm.handlers.HandlerRuntime.defaults());

    private HandlerPublisher.Plan publish(Map<String, String> dir, String control) {
        Map<String, HandlerFile> files = new LinkedHashMap<>();
        dir.forEach((n, s) -> files.put(n, HandlerFile.of(n, s)));
        HandlerPublisher.Plan plan = publisher.plan(topic, files, control);
        for (HandlerPublisher.Change c : plan.records()) {
            topic.apply(c.key(), c.value());
            log.add(new String[] {c.key(), c.value()});
        }
        return plan;
    }

    private Map<String, String> published() {
        Map<String, String> out = new LinkedHashMap<>();
        topic.manifestFiles().forEach(f -> out.put(f.name(), f.source()));
        return out;
    }

    @Test
    void aNewFileIsPublishedThenAManifestListingIt() {
        HandlerPublisher.Plan plan = publish(Map.of("a.js", A1), null);

        assertThat(plan.records()).extracting(HandlerPublisher.Change::key).containsExactly("file:a.js", "manifest");
        assertThat(published()).isEqualTo(Map.of("a.js", A1));
        assertThat(topic.manifest().seq()).isEqualTo(1);
    }

    @Test
    void aSyntaxErrorKeepsTheOldVersion() {
        publish(Map.of("a.js", A1), null);

        HandlerPublisher.Plan plan = publish(Map.of("a.js", "crm.handler({name: 'a', on: ['login'],"), null);

        assertThat(plan.publishes()).isFalse();
        assertThat(plan.rejected()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("a.js");
            assertThat(p.reason()).contains("does not compile").contains("keeping version " + HandlerFile.versionOf(A1));
        });
        assertThat(published()).isEqualTo(Map.of("a.js", A1));
    }

    @Test
    void aFileThatWouldBreakAnotherIsRejected() {
        publish(Map.of("a.js", A1), null);

        HandlerPublisher.Plan plan = publish(Map.of("a.js", A1, "b.js", A1.replace("p.incr('n')", "p.incr('m')")), null);

        assertThat(plan.rejected()).singleElement().satisfies(p -> assertThat(p.reason()).contains("already registered"));
        assertThat(published()).containsOnlyKeys("a.js");
    }

    @Test
    void aDeletedFileIsTombstonedAndLeavesTheManifest() {
        publish(Map.of("a.js", A1, "b.js", B), null);

        publish(Map.of("b.js", B), null);

        assertThat(log.get(log.size() - 2)).containsExactly("file:a.js", null);
        assertThat(published()).containsOnlyKeys("b.js");
        assertThat(topic.manifest().seq()).isEqualTo(2);
    }

    @Test
    void aRejectedVersionIsNotTriedAgainUntilTheFileChanges() {
        publish(Map.of("a.js", A1), null);
        String broken = "crm.handler(";
        assertThat(publish(Map.of("a.js", broken), null).rejected()).hasSize(1);

        assertThat(publish(Map.of("a.js", broken), null).rejected()).isEmpty();
        assertThat(publish(Map.of("a.js", A2), null).publishes()).isTrue();
        assertThat(published()).isEqualTo(Map.of("a.js", A2));
    }

    private static final String CAPS = "caps: {perPlayerPerDay: 1, budget: {max: 10, per: '1m'}}";

    private static String campaignFile(String handler) {
        return "crm.campaign({id: 'tanks', " + CAPS + "});"
                + "crm.handler({name: '" + handler + "', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('tanks', {}); }});";
    }

    @Test
    void theFilePublishedFirstKeepsItsCampaignWhateverTheNames() {
        publish(Map.of("zz-tanks.js", campaignFile("real")), null);

        HandlerPublisher.Plan plan = publish(Map.of("zz-tanks.js", campaignFile("real"), "aa-thief.js", campaignFile("thief")),
                null);

        assertThat(plan.rejected()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("aa-thief.js");
            assertThat(p.kind()).isEqualTo(io.gamecrm.handlers.HandlerProblem.Kind.CLASH);
            assertThat(p.reason()).contains("already declared by zz-tanks.js");
        });
        assertThat(published()).containsOnlyKeys("zz-tanks.js");
        // a task compiles in publication order: the first file keeps the campaign there too
        assertThat(HandlerSet.compile(topic.manifestFiles()).set().campaigns().get("tanks").file()).isEqualTo("zz-tanks.js");
    }

    @Test
    void ofTwoNewFilesInOneScanTheOlderKeepsTheCampaign() {
        Map<String, HandlerFile> dir = new LinkedHashMap<>(); // oldest first, as DirectorySnapshot lists them
        dir.put("zz-old.js", HandlerFile.of("zz-old.js", campaignFile("old")));
        dir.put("aa-new.js", HandlerFile.of("aa-new.js", campaignFile("new")));

        HandlerPublisher.Plan plan = publisher.plan(topic, dir, null);

        assertThat(plan.rejected()).extracting(io.gamecrm.handlers.HandlerProblem::file).containsExactly("aa-new.js");
    }

    @Test
    void aFileThatClashedIsTriedAgainWhenTheClashIsGone() {
        publish(Map.of("a.js", campaignFile("a")), null);
        assertThat(publish(Map.of("a.js", campaignFile("a"), "b.js", campaignFile("b")), null).rejected()).hasSize(1);

        HandlerPublisher.Plan plan = publish(Map.of("b.js", campaignFile("b")), null);

        assertThat(plan.accepted()).anySatisfy(a -> assertThat(a).contains("a.js deleted"))
                .anySatisfy(a -> assertThat(a).contains("b.js added").contains("no longer clashing"));
        assertThat(published()).containsOnlyKeys("b.js");
    }

    @Test
    void theKillSwitchIsPublishedAndABrokenOneKeepsThePrevious() {
        publish(Map.of("a.js", A1), "{\"paused\": {\"tanks\": \"too generous\"}}");
        assertThat(topic.control().paused()).isEqualTo(Map.of("tanks", "too generous"));

        HandlerPublisher.Plan plan = publish(Map.of("a.js", A1), "{\"paused\": {\"tanks\": \"\"}}");

        assertThat(plan.rejected()).singleElement().satisfies(p -> assertThat(p.reason()).contains("needs a reason"));
        assertThat(topic.control().paused()).isEqualTo(Map.of("tanks", "too generous"));
        publish(Map.of("a.js", A1), null);
        assertThat(topic.control().paused()).isEmpty();
    }

    @Test
    void aTaskSwitchesOnlyOnAManifestWhoseFilesHaveAllArrived() {
        publish(Map.of("a.js", A1), null);
        FeedState task = new FeedState();
        // the new manifest arrives before the changed file it lists (a torn read)
        String[] manifestOfA2 = null;
        publish(Map.of("a.js", A2), null);
        for (String[] r : log) {
            if (r[0].equals("manifest")) {
                manifestOfA2 = r;
            }
        }
        task.apply(log.get(0)[0], log.get(0)[1]);
        task.apply(manifestOfA2[0], manifestOfA2[1]);

        assertThat(task.manifestFiles()).isNull();
        task.apply("file:a.js", HandlerRecords.fileValue(HandlerFile.of("a.js", A2)));
        assertThat(task.manifestFiles()).extracting(HandlerFile::source).containsExactly(A2);
    }

    @Test
    void tasksReadingTheSameTopicConvergeOnTheSameSet() {
        publish(Map.of("a.js", A1, "b.js", B), null);
        publish(Map.of("a.js", A2, "b.js", B), null);
        FeedState early = new FeedState();
        FeedState late = new FeedState();
        log.forEach(r -> early.apply(r[0], r[1]));
        // a task started later reads the compacted topic: only the latest value per key
        Map<String, String> compacted = new LinkedHashMap<>();
        log.forEach(r -> compacted.put(r[0], r[1]));
        compacted.forEach(late::apply);

        assertThat(HandlerSet.compile(early.manifestFiles()).set().version())
                .isEqualTo(HandlerSet.compile(late.manifestFiles()).set().version());
    }

    @Test
    void budgetPausesAreKeptAndResumedByATombstone() {
        topic.apply(HandlerRecords.BUDGET_PREFIX + "tanks", HandlerRecords.budgetValue("tanks", "over 600/min", "crm#2"));
        assertThat(topic.control().budgeted()).isEqualTo(Map.of("tanks", "over 600/min"));

        topic.apply(HandlerRecords.BUDGET_PREFIX + "tanks", null);

        assertThat(topic.control().budgeted()).isEmpty();
    }
}
