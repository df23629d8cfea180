package io.gamecrm.cli;

import io.gamecrm.campaign.Decision;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.offline.Fixture;
import io.gamecrm.handlers.offline.OfflineRun;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crm handlers test}: the designers' offline tool. */
@Command(name = "handlers", mixinStandardHelpOptions = true, description = "Work with handler files.",
        subcommands = {HandlersCommand.Test.class})
public final class HandlersCommand {

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run the handlers against sample events or fixtures, with no server at all: the same "
                    + "validation, sandbox, time budget, caps and modes as the topology, on in-memory profiles.",
                    "With --events: prints, per event, the profile changes, offers fired and suppressed, and errors.",
                    "Without: runs every fixture of <dir>/tests and exits 1 if one fails."})
    static final class Test implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "Handlers folder (default: handlers-js/).")
        Path dir;

        @Option(names = "--events", paramLabel = "FILE.jsonl",
                description = "One event per line (fields left out get defaults: event_id, timestamp, game).")
        Path events;

        @Option(names = "--profiles", paramLabel = "FILE.json",
                description = "Starting profiles: {\"bob\": {\"lost_streak\": 2}}.")
        Path profiles;

        @Option(names = "--fixtures", paramLabel = "DIR|FILE", description = "Fixtures to run (default: <dir>/tests).")
        Path fixtures;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path handlers = dir != null ? dir : Repo.handlers();
            if (!Files.isDirectory(handlers)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no handlers folder at " + handlers);
            }
            if (events != null) {
                return runEvents(handlers);
            }
            return runFixtures(handlers, fixtures != null ? fixtures : handlers.resolve("tests"));
        }

        @SuppressWarnings("unchecked")
        private int runEvents(Path handlers) throws IOException {
            if (!Files.isRegularFile(events)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no events file at " + events);
            }
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(events)) {
                if (!line.isBlank() && !line.strip().startsWith("//")) {
                    lines.add(line);
                }
            }
            Map<String, Map<String, Object>> start = profiles == null ? Map.of()
                    : (Map<String, Map<String, Object>>) (Map<String, ?>) Json.readObject(Files.readString(profiles));
            OfflineRun.Report report = OfflineRun.run(handlers, lines, start);
            print(report);
            return report.rejectedFiles().isEmpty() ? 0 : 1;
        }

        private void print(OfflineRun.Report report) {
            Terminal t = Terminal.system();
            t.line("handler set " + report.setVersion() + (report.paused().isEmpty() ? "" : ", paused by the kill switch: "
                    + report.paused().keySet()));
            for (HandlerProblem p : report.rejectedFiles()) {
                t.line(t.red("REJECTED " + p.file() + ": " + p.reason()));
            }
            for (OfflineRun.EventReport e : report.events()) {
                t.line(String.format("#%-3d %-12s %-9s %s", e.index(), e.playerId(), e.eventType(),
                        e.invalidReason() != null ? t.red("INVALID " + e.invalidReason())
                                : e.changes().isEmpty() ? t.dim("(no profile change)") : "profile " + Json.write(e.changes())));
                for (Map<String, Object> trig : e.triggers()) {
                    t.line(t.green("       OFFER " + trig.get("campaign") + " " + Json.write(trig.get("params"))
                            + "  by " + trig.get("handler") + "@" + trig.get("handler_version") + "  id " + trig.get("trigger_id")));
                }
                for (Decision d : e.decisions()) {
                    if (d.outcome().suppressed()) {
                        t.line("       SUPPRESSED " + (d.campaign() == null ? "" : d.campaign() + " ")
                                + d.outcome().name().toLowerCase() + ": " + d.reason() + "  (handler " + d.handler() + ")");
                    }
                }
                for (HandlerFailure f : e.failures()) {
                    t.line(t.red("       " + (f.timeout() ? "TIMEOUT" : "ERROR") + " " + f.handler() + " (" + f.file() + "): "
                            + f.message()));
                }
            }
            t.line("final profiles:");
            report.profiles().forEach((player, p) -> t.line("  " + player + " " + Json.write(p)));
        }

        private int runFixtures(Path handlers, Path where) throws IOException {
            List<Path> files;
            if (Files.isDirectory(where)) {
                try (Stream<Path> s = Files.list(where)) {
                    files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
                }
            } else if (Files.isRegularFile(where)) {
                files = List.of(where);
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "no fixtures at " + where);
            }
            Terminal t = Terminal.system();
            int failed = 0;
            for (Path f : files) {
                Fixture fixture = Fixture.read(f);
                List<String> mismatches = fixture.mismatches(fixture.run(handlers));
                if (mismatches.isEmpty()) {
                    t.line(t.green("PASS ") + fixture.name() + "  " + t.dim(fixture.description()));
                } else {
                    failed++;
                    t.line(t.red("FAIL ") + fixture.name() + "  " + fixture.description());
                    mismatches.forEach(m -> t.line("     " + m));
                }
            }
            t.line(files.size() - failed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
