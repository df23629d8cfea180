package io.gamecrm.analytics;

import io.gamecrm.analytics.backtest.Backtest;
import io.gamecrm.analytics.backtest.HandlerRuntime;
import io.gamecrm.analytics.plot.Charts;
import io.gamecrm.analytics.questions.Analyst;
import io.gamecrm.analytics.questions.Answer;
import io.gamecrm.analytics.questions.Questions;
import io.gamecrm.analytics.questions.ResultTable;
import io.gamecrm.analytics.serve.WarmSession;
import io.gamecrm.analytics.spark.CrmSpark;
import io.gamecrm.analytics.spark.CrmTables;
import io.gamecrm.analytics.spark.SparkSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./crm analytics ...}: Spark over the CRM's Cassandra tables. Runs with the analytics
 * module's own classpath (Spark's), apart from the CLI's Storm classpath.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true, version = "crm analytics 0.1.0",
        description = "Spark SQL and named questions over the CRM's tables, charts, backtests of handler sets on "
                + "stored history, and a warm session over HTTP. Embedded Spark (local[2]) by default; "
                + "--master spark://HOST:PORT runs the same job on a standalone cluster.",
        subcommands = {AnalyticsCli.Sql.class, AnalyticsCli.LostStreak.class, AnalyticsCli.Offers.class,
                AnalyticsCli.Funnel.class, AnalyticsCli.Top.class, AnalyticsCli.UpliftCommand.class,
                AnalyticsCli.BacktestCommand.class,
                AnalyticsCli.Snapshot.class, AnalyticsCli.Serve.class, CommandLine.HelpCommand.class})
public final class AnalyticsCli {
    /** Exit code of a bad argument or a refused query. */
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        System.exit(code);
    }

    /** Runs a command line; returns the exit code (0 ok, 2 bad input, 1 failure). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new AnalyticsCli());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean bad = e instanceof IllegalArgumentException;
            cmd.getErr().println(cmd.getColorScheme().errorText("crm analytics " + cmd.getCommandName() + ": "
                    + e.getMessage()));
            if (!bad) {
                org.slf4j.LoggerFactory.getLogger(AnalyticsCli.class).error("crm analytics {} failed",
                        cmd.getCommandName(), e);
            }
            return bad ? BAD_INPUT : 1;
        });
        return cli.execute(args);
    }

    static LocalDate date(CommandLine.Model.CommandSpec spec, String option, String value, LocalDate fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be a date like 2026-11-26, got '" + value + "'");
        }
    }

    /** Work on an open session; checked exceptions pass through. */
    interface SessionWork {
        int run(SparkSession session, SparkSettings settings) throws IOException;
    }

    /**
     * Opens the session, runs the work, stops the session: unless one was already running in this
     * JVM (a caller embedding the CLI), which is left running.
     */
    static int inSession(SparkOptions options, String name, SessionWork work) throws IOException {
        SparkSettings settings = options.settings();
        boolean owned = SparkSession.getDefaultSession().isEmpty();
        SparkSession session = CrmSpark.open(settings, "crm analytics " + name);
        try {
            return work.run(session, settings);
        } finally {
            if (owned) {
                session.stop();
            }
        }
    }

    static void draw(JFreeChart chart, Path file) throws IOException {
        Charts.write(chart, file);
        System.err.println("picture: " + file.toAbsolutePath());
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** --from and --to: the last seven days by default. */
    static final class DayRange {
        @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day (default: six days before --to).")
        String from;

        @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day (default: today).")
        String to;

        LocalDate to(CommandLine.Model.CommandSpec spec) {
            return date(spec, "--to", to, today());
        }

        LocalDate from(CommandLine.Model.CommandSpec spec) {
            return date(spec, "--from", from, to(spec).minusDays(6));
        }
    }

    /** A question: opens the session, registers the views it needs, answers, prints, draws. */
    abstract static class Question implements Callable<Integer> {
        @Mixin
        SparkOptions spark;

        @Mixin
        OutputOptions output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract List<String> views();

        abstract Answer answer(Analyst analyst);

        /** The picture of the answer. */
        abstract JFreeChart chart(Answer a, Analyst analyst);

        @Override
        public Integer call() throws IOException {
            if (output.plot != null) {
                Charts.checkFileName(output.plot);
            }
            return inSession(spark, spec.name(), (session, settings) -> {
                CrmTables.register(session, settings.keyspace(), views());
                Analyst analyst = new Analyst(session);
                Answer a = answer(analyst);
                output.print(a, System.out, System.err);
                if (output.plot != null) {
                    draw(chart(a, analyst), output.plot);
                }
                return 0;
            });
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = "Spark SQL over the views player_events (+ event_time), player_profile (one column per "
                    + "profile key), campaign_decisions (+ decided_time, day), trigger_outbox, daily_metric_players, "
                    + "campaign_exposures, campaign_conversions.")
    static final class Sql extends Question {
        @Parameters(paramLabel = "SQL", description = "The query, e.g. \"SELECT event_type, count(*) FROM "
                + "player_events GROUP BY event_type\".")
        String sql;

        @Override
        List<String> views() {
            return CrmTables.mentionedIn(sql);
        }

        @Override
        Answer answer(Analyst analyst) {
            return analyst.sql(sql, output.limit);
        }

        @Override
        JFreeChart chart(Answer a, Analyst analyst) {
            ResultTable t = a.table();
            if (t.columns().size() < 2) {
                throw new IllegalArgumentException("--plot of a query draws its last column by its first: "
                        + "the query needs two columns or more");
            }
            String x = t.columns().get(0);
            String y = t.columns().get(t.columns().size() - 1);
            String series = t.columns().size() > 2 ? t.columns().get(1) : null;
            return Charts.bars(sql.length() > 80 ? sql.substring(0, 79) + "…" : sql, x, y, t, x, series, y);
        }
    }

    @Command(name = "lost-streak", mixinStandardHelpOptions = true,
            description = "Players who lost at least N fights in a row during a day (UTC), computed from player_events "
                    + "(streaks in event order, across days); --compare checks it against the topology's daily aggregate.")
    static final class LostStreak extends Question {
        @Option(names = "--min", required = true, paramLabel = "N", description = "Fights lost in a row, at least.")
        int min;

        @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "The UTC day (default: today).")
        String day;

        @Option(names = "--compare", description = "Also read daily_metric_players and say whether both agree.")
        boolean compare;

        @Override
        List<String> views() {
            return compare ? List.of(CrmTables.PLAYER_EVENTS, CrmTables.DAILY_METRIC_PLAYERS)
                    : List.of(CrmTables.PLAYER_EVENTS);
        }

        @Override
        Answer answer(Analyst analyst) {
            if (min < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--min must be at least 1, got " + min);
            }
            return analyst.lostStreak(date(spec, "--day", day, today()), min, output.limit, compare);
        }

        @Override
        JFreeChart chart(Answer a, Analyst analyst) {
            LocalDate d = date(spec, "--day", day, today());
            Answer h = analyst.streakHistogram(d);
            return Charts.bars("Longest lost streak of the day, " + d + " (" + h.sentence() + ")",
                    "fights lost in a row", "players", h.table(), "longest_streak", null, "players");
        }
    }

    @Command(name = "offers", mixinStandardHelpOptions = true,
            description = "Offers fired and suppressed (by outcome) per campaign per day (UTC), from campaign_decisions.")
    static final class Offers extends Question {
        @Mixin
        DayRange days;

        @Override
        List<String> views() {
            return List.of(CrmTables.CAMPAIGN_DECISIONS);
        }

        @Override
        Answer answer(Analyst analyst) {
            return analyst.offers(days.from(spec), days.to(spec), output.limit);
        }

        @Override
        JFreeChart chart(Answer a, Analyst analyst) {
            return Charts.bars("Offers fired per day and campaign", "day (UTC)", "offers fired", a.table(), "day",
                    "campaign", "fired");
        }
    }

    @Command(name = "funnel", mixinStandardHelpOptions = true,
            description = "A funnel over event types: players who did each step at or after the previous one.")
    static final class Funnel extends Question {
        @Option(names = "--steps", required = true, paramLabel = "TYPE,TYPE,...",
                description = "Event types in order, e.g. login,fight,purchase.")
        String steps;

        @Mixin
        DayRange days;

        @Override
        List<String> views() {
            return List.of(CrmTables.PLAYER_EVENTS);
        }

        @Override
        Answer answer(Analyst analyst) {
            return analyst.funnel(Questions.steps(steps), days.from(spec), days.to(spec));
        }

        @Override
        JFreeChart chart(Answer a, Analyst analyst) {
            return Charts.bars("Funnel " + steps, "step", "players", a.table(), "event_type", null, "players");
        }
    }

    @Command(name = "top", mixinStandardHelpOptions = true, description = "Top players by a profile metric.")
    static final class Top extends Question {
        @Option(names = "--metric", required = true, description = "A profile key, e.g. wins or logins.")
        String metric;

        @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "How many players (default: 10).")
        int top;

        @Override
        List<String> views() {
            return List.of(CrmTables.PLAYER_PROFILE);
        }

        @Override
        Answer answer(Analyst analyst) {
            return analyst.top(metric, top);
        }

        @Override
        JFreeChart chart(Answer a, Analyst analyst) {
            return Charts.bars("Top players by " + metric, "player", metric, a.table(), "player_id", null, metric);
        }
    }

    @Command(name = "uplift", mixinStandardHelpOptions = true,
            description = "A campaign's uplift from campaign_exposures and campaign_conversions: players exposed and "
                    + "converted per group (treated, holdout, holdout_global), conversion rates, the absolute uplift "
                    + "with its 95%% interval (Wald), the relative uplift, value and accept rate per exposed player.")
    static final class UpliftCommand extends Question {
        @Option(names = "--campaign", required = true, paramLabel = "ID", description = "The campaign, e.g. "
                + "battle-tanks-offer.")
        String campaign;

        @Mixin
        DayRange days;

        @Override
        List<String> views() {
            return List.of(CrmTables.CAMPAIGN_EXPOSURES, CrmTables.CAMPAIGN_CONVERSIONS);
        }

        @Override
        Answer answer(Analyst analyst) {
            return analyst.uplift(campaign, days.from(spec), days.to(spec));
        }

        @Override
        JFreeChart chart(Answer a, Analyst analyst) {
            Answer t = analyst.upliftOverTime(campaign, days.from(spec), days.to(spec));
            return Charts.lines("Cumulative conversion of " + campaign + " per group", "day (UTC)",
                    "converted, % of exposed players", t.table(), "day", "exposure_group", "conversion_pct");
        }
    }

    @Command(name = "backtest", mixinStandardHelpOptions = true,
            description = "Replays stored player_events through a handler set (the topology's own runtime) and compares "
                    + "what it would have fired and suppressed with what campaign_decisions recorded.")
    static final class BacktestCommand implements Callable<Integer> {
        @Mixin
        SparkOptions spark;

        @Option(names = "--handlers", required = true, paramLabel = "DIR", description = "The handler files to try.")
        Path handlers;

        @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day (UTC).")
        String from;

        @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day (default: --from).")
        String to;

        @Option(names = "--snapshot", paramLabel = "DIR",
                description = "Start from the profiles saved by `crm analytics snapshot` instead of empty ones.")
        Path snapshot;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Spark partitions of players (default: Spark's default parallelism).")
        Integer partitions;

        @Option(names = "--details", defaultValue = "20", paramLabel = "N",
                description = "Show at most N new, gone or changed decisions (default: ${DEFAULT-VALUE}).")
        int details;

        @Option(names = "--json", description = "Print the report as one JSON document.")
        boolean json;

        @Option(names = "--plot", paramLabel = "FILE.svg|png",
                description = "Draw offers fired per day: the backtest's beside the recorded ones.")
        Path plot;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (plot != null) {
                Charts.checkFileName(plot);
            }
            if (!Files.isDirectory(handlers)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--handlers " + handlers
                        + " is not a folder");
            }
            if (snapshot != null && !Files.isDirectory(snapshot)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--snapshot " + snapshot
                        + " is not a folder");
            }
            LocalDate first = date(spec, "--from", from, null);
            LocalDate last = date(spec, "--to", to, first);
            return inSession(spark, "backtest", (session, settings) -> {
                CrmTables.register(session, settings.keyspace(), List.of(CrmTables.PLAYER_EVENTS,
                        CrmTables.CAMPAIGN_DECISIONS));
                int n = partitions != null ? partitions : session.sparkContext().defaultParallelism();
                // as the topology of these properties would decide: its global holdout too
                Backtest.Result r = new Backtest(session).run(new Backtest.Request(HandlerRuntime.Source.read(handlers),
                        first, last, snapshot == null ? null : snapshot.toString(), n,
                        io.gamecrm.campaign.Holdout.globalShareOf(spark.flux())));
                BacktestReport.print(r, handlers, first, last, details, json, System.out);
                if (plot != null) {
                    ResultTable perDay = ResultTable.collect(r.perDay(), 100_000);
                    draw(Charts.compare("Offers fired per day: backtest of " + handlers.getFileName() + " vs recorded",
                            "day (UTC)", "offers fired", perDay, "day", List.of("backtest_fired", "actual_fired"),
                            null, null), plot);
                }
                return 0;
            });
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Saves every player's profile and campaign history (player_profile) as Parquet, "
                    + "for a later `backtest --snapshot`.")
    static final class Snapshot implements Callable<Integer> {
        @Mixin
        SparkOptions spark;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new folder.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists: a snapshot goes into a new folder");
            }
            return inSession(spark, "snapshot", (session, settings) -> {
                org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> profiles = session.table(
                        CrmSpark.table(settings.keyspace(), CrmTables.PLAYER_PROFILE))
                        .select("player_id", "profile", "campaigns", "version", "updated_at");
                profiles.write().parquet(out.toString());
                long n = session.read().parquet(out.toString()).count();
                System.out.println(n + " player profiles saved in " + out.toAbsolutePath());
                return 0;
            });
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Keeps one Spark session warm with the tables cached (refreshed on a schedule) and answers "
                    + "the questions over HTTP as JSON: /sql?q=, /lost-streak?min=&day=, /offers, /funnel?steps=, "
                    + "/top?metric=, /health, POST /refresh.")
    static final class Serve implements Callable<Integer> {
        @Mixin
        SparkOptions spark;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--port", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}; 0: any free one).")
        int port;

        @Option(names = "--refresh", defaultValue = "1h", paramLabel = "DURATION",
                description = "Re-read the tables this often: 30s, 15m, 1h (default: ${DEFAULT-VALUE}; 0: never).")
        String refresh;

        @Option(names = "--no-cache", description = "Do not cache the tables in memory (each question reads Cassandra).")
        boolean noCache;

        @Override
        public Integer call() throws Exception {
            Duration every = duration(refresh);
            SparkSettings settings = spark.settings();
            SparkSession session = CrmSpark.open(settings, "crm analytics serve");
            CountDownLatch stop = new CountDownLatch(1);
            try (WarmSession server = new WarmSession(new Analyst(session), settings.keyspace(), host, port, every,
                    !noCache)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "analytics-serve-stop"));
                System.out.println("serving on http://" + host + ":" + server.port() + "/  (Ctrl-C stops)");
                stop.await();
            } finally {
                session.stop();
            }
            return 0;
        }
    }

    /** "30s", "15m", "1h", "2d" or "0". */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration looks like 30s, 15m, 1h or 2d, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
