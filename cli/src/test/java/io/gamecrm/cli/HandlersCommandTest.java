package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * crm handlers test runs handlers the way the topology does: a file the watcher would reject is
 * reported with its reason, a handler's failures and logs show per event, and what the topology
 * would send to crm-maintenance is printed; the limits come from the properties file given.
 */
class HandlersCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private Path handlers(String... nameThenSource) throws IOException {
        Path h = dir.resolve("handlers");
        Files.createDirectories(h);
        for (int i = 0; i < nameThenSource.length; i += 2) {
            Files.writeString(h.resolve(nameThenSource[i]), nameThenSource[i + 1]);
        }
        return h;
    }

    private Path events(String... lines) throws IOException {
        return Files.write(dir.resolve("events.jsonl"), java.util.List.of(lines));
    }

    @Test
    void aRejectedFileIsReportedWithItsKindAndTheOthersRun() throws IOException {
        Path h = handlers("escape.js", "}); while (true) {} (function () {",
                "count.js", "crm.handler({name: 'count', on: ['login'], writes: ['n'], update: function (e, p) {"
                        + " p.incr('n'); crm.log('counted', p.get('n')); }});");
        Path ev = events("{\"player_id\":\"bob\",\"event_type\":\"login\",\"payload\":{\"platform\":\"ios\"}}");

        int code = CrmCli.run("handlers", "test", "--dir", h.toString(), "--events", ev.toString());

        assertThat(code).isEqualTo(1);
        assertThat(console.out())
                .contains("REJECTED escape.js (does_not_compile)")
                .contains("LOG handler 'count'").contains("counted 1")
                .contains("bob {\"n\":1}")
                .contains("what the topology would report on crm-maintenance")
                .contains("handlers.rejected");
    }

    @Test
    void exposuresAndConversionsShowPerEventAsTheTopologyWouldRecordThem() throws IOException {
        String lost = "\",\"event_type\":\"fight\",\"payload\":{\"result\":\"lost\",\"opponent\":{\"kind\":\"npc\",\"id\":\"camp\"}}}";
        Path ev = events("{\"player_id\":\"bob" + lost, "{\"player_id\":\"bob" + lost, "{\"player_id\":\"bob" + lost,
                "{\"player_id\":\"bob\",\"event_type\":\"purchase\",\"payload\":{\"item_id\":\"tanks\",\"quantity\":1,"
                        + "\"price\":4.99,\"currency\":\"EUR\"}}",
                "{\"player_id\":\"erin" + lost, "{\"player_id\":\"erin" + lost, "{\"player_id\":\"erin" + lost);

        int code = CrmCli.run("handlers", "test", "--dir", Repo.handlers().toString(), "--events", ev.toString());

        assertThat(code).isZero();
        // the shipped campaign: bob is treated, erin in its 10% holdout (handlers-js/tests)
        assertThat(console.out())
                .containsPattern("EXPOSED battle-tanks-offer treated  trigger [0-9a-f-]{36}")
                .contains("CONVERTED battle-tanks-offer treated").contains("by window, value 4.99")
                .containsPattern("EXPOSED battle-tanks-offer holdout  trigger [0-9a-f-]{36}")
                .contains("SUPPRESSED battle-tanks-offer holdout");
    }

    @Test
    void theLimitsComeFromThePropertiesFile() throws IOException {
        Path h = handlers("slow.js", "crm.handler({name: 'slow', on: ['login'], writes: ['n'], update: function (e, p) {"
                + " while (true) {} }});");
        Path props = Files.writeString(dir.resolve("tight.properties"), "crm.handlers.budget.ms=1\n"
                + "crm.handlers.file.budget.ms=1\ncrm.handlers.event.budget.ms=1\ncrm.crm.tasks=4\n");
        Path ev = events("{\"player_id\":\"bob\",\"event_type\":\"login\",\"payload\":{\"platform\":\"ios\"}}");

        CrmCli.run("handlers", "test", "--dir", h.toString(), "--events", ev.toString(), "--properties", props.toString());

        // 1 ms, ten times while the handler is new: at most 10 ms (the default would be 200)
        assertThat(console.out()).contains("TIMEOUT slow").containsPattern("budget of (\\d|10) ms")
                .contains("task ");
    }

    @Test
    void aMissingOrBrokenPropertiesFileIsAClearError() throws IOException {
        Path h = handlers("a.js", "crm.handler({name: 'a', on: ['login'], writes: ['n'], update: function (e, p) {}});");
        Path ev = events("{\"player_id\":\"bob\",\"event_type\":\"login\",\"payload\":{\"platform\":\"ios\"}}");
        Path broken = Files.writeString(dir.resolve("broken.properties"), "crm.handlers.budget.ms=fast\n");

        assertThat(CrmCli.run("handlers", "test", "--dir", h.toString(), "--events", ev.toString(), "--properties",
                dir.resolve("nope.properties").toString())).isEqualTo(2);
        assertThat(CrmCli.run("handlers", "test", "--dir", h.toString(), "--events", ev.toString(), "--properties",
                broken.toString())).isEqualTo(2);
        assertThat(console.err()).contains("no properties file at")
                .contains("crm.handlers.budget.ms must be a whole number");
    }
}
