package io.gamecrm.cli;

import io.gamecrm.campaign.Decision;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.json.Json;
import io.gamecrm.offline.Fixture;
import io.gamecrm.offline.OfflineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code crm handlers test}: the designers' offline tool. */
@Command(name = "handlers", mixinStandardHelpOptions = true, description = "Work with handler files.",
        subcommands = {HandlersCommand.Test.class})
public final class HandlersCommand {

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run the handlers against sample events or fixtures, with no server at all, the way the "
                    + "topology runs them: the watcher's checks and rejections, a CRM task's compilation and warm-up, "
                    + "players spread over the CRM tasks, and the limits, budgets and breakers of the same properties "
                    + "file, on in-memory profiles.",
                    "With --events: prints, per event, the profile changes, offers fired and suppressed, failures and "
                    + "logs, then what the topology would report on crm-maintenance.",
                    "Without: runs every fixture of <dir>/tests and exits 1 if one fails."})
    static final class Test implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "Handlers folder (default: handlers-js/).")
        Path dir;

        @Option(names = "--properties", paramLabel = "FILE",
                description = "The topology's properties file, for the limits, budgets, breakers and the number of "
                        + "CRM tasks (default: flux/local.properties).")
        Path properties;

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
            OfflineRun.Options options = options();
            if (events != null) {
                return runEvents(handlers, options);
            }
            return runFixtures(handlers, fixtures != null ? fixtures : handlers.resolve("tests"), options);
        }

        private OfflineRun.Options options() throws IOException {
            Path file = properties != null ? properties : Repo.flux("local.properties");
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no properties file at " + file);
            }
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            try {
                return OfflineRun.Options.fromProperties(p, java.time.Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), file + ": " + e.getMessage());
            }
        }

        @SuppressWarnings("unchecked")
        private int runEvents(Path handlers, OfflineRun.Options options) throws IOException {
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
            OfflineRun.Report report = OfflineRun.run(handlers, lines, start, options);
            print(report);
            return report.rejectedFiles().isEmpty() ? 0 : 1;
        }

        private void print(OfflineRun.Report report) {
            Terminal t = Terminal.system();
            t.line("handler set " + report.setVersion() + (report.paused().isEmpty() ? "" : ", paused by the kill switch: "
                    + report.paused().keySet()));
            for (HandlerProblem p : report.rejectedFiles()) {
                t.line(t.red("REJECTED " + p.file() + " (" + p.kind().name().toLowerCase(java.util.Locale.ROOT) + "): "
                        + p.reason()));
            }
            for (HandlerFailure f : report.warmUpFailures()) {
                t.line(t.red("DISABLED " + f.handler() + " (" + f.file() + "): " + f.kind().name() + " " + f.message()));
            }
            for (OfflineRun.EventReport e : report.events()) {
                t.line(String.format("#%-3d %-12s %-9s %s%s", e.index(), e.playerId(), e.eventType(),
                        e.task() < 0 ? "" : t.dim("task " + e.task() + "  "),
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
                for (io.gamecrm.campaign.Exposure x : e.exposures()) {
                    t.line("       EXPOSED " + x.campaign() + " " + x.group().label() + "  trigger " + x.triggerId());
                }
                for (io.gamecrm.campaign.Conversion c : e.conversions()) {
                    t.line(t.green("       CONVERTED " + c.exposure().campaign() + " " + c.exposure().group().label()
                            + " (exposed by event " + c.exposure().causeEventId() + ") by "
                            + c.attribution().name().toLowerCase(java.util.Locale.ROOT)
                            + (c.value() == null ? "" : ", value " + c.value())));
                }
                for (HandlerFailure f : e.failures()) {
                    t.line(t.red("       " + f.kind().name() + " " + f.handler() + " (" + f.file() + "): " + f.message()));
                }
                for (String l : e.logs()) {
                    t.line(t.dim("       LOG " + l));
                }
            }
            t.line("final profiles:");
            report.profiles().forEach((player, p) -> t.line("  " + player + " " + Json.write(p)));
            if (!report.reports().isEmpty()) {
                t.line("what the topology would report on crm-maintenance:");
                for (io.gamecrm.handlers.HandlerReport r : report.reports()) {
                    String line = "  " + r.level() + " " + r.type() + ": " + r.message();
                    t.line(r.level() == io.gamecrm.handlers.HandlerReport.Level.INFO ? line : t.red(line));
                }
            }
        }

        private int runFixtures(Path handlers, Path where, OfflineRun.Options options) throws IOException {
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
                List<String> mismatches = fixture.mismatches(fixture.run(handlers, options));
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
