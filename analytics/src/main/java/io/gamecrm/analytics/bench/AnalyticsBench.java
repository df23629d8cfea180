package io.gamecrm.analytics.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.gamecrm.analytics.SparkOptions;
import io.gamecrm.analytics.backtest.Backtest;
import io.gamecrm.analytics.backtest.HandlerRuntime;
import io.gamecrm.analytics.history.GameHistory;
import io.gamecrm.analytics.questions.Analyst;
import io.gamecrm.analytics.questions.Answer;
import io.gamecrm.analytics.spark.CrmSpark;
import io.gamecrm.analytics.spark.CrmTables;
import io.gamecrm.analytics.spark.SparkSettings;
import io.gamecrm.json.Json;
import io.gamecrm.profile.CqlSchema;
import io.gamecrm.profile.TimeUuids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./crm bench analytics}: on this machine, how fast analytics reads and replays. Loads a
 * generated history of about {@code --events} events into a keyspace of its own (through the
 * connector, in parallel), then measures in a fresh session: the lost-streak question cold (no
 * cache; the target: 1M events in 30 s or less), a full scan of player_events (rows/s),
 * and a backtest of the shipped handlers over the whole history (events/s; target 20,000). Never
 * run by the tests. Results go to bench/results/analytics-latest.json.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true,
        description = "Benchmark of analytics: load N events, then lost-streak cold, a full scan, a backtest.")
public final class AnalyticsBench implements Callable<Integer> {
    static final LocalDate FIRST_DAY = LocalDate.parse("2026-09-01");
    static final int DAYS = 7;
    /** Events a player makes in a day of GameHistory, on average (login, 6.5 fights, builds, purchases). */
    static final double EVENTS_PER_PLAYER_DAY = 9.6;

    @Mixin
    SparkOptions spark;

    @Option(names = "--events", defaultValue = "1000000", description = "About this many events (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--bench-keyspace", defaultValue = "crm_bench_analytics",
            description = "Keyspace of the benchmark's history (default: ${DEFAULT-VALUE}); recreated unless --reuse.")
    String benchKeyspace;

    @Option(names = "--reuse", description = "Keep the history already loaded in the keyspace (skip the load).")
    boolean reuse;

    @Option(names = "--handlers", description = "Handlers of the backtest (default: handlers-js/).")
    Path handlers;

    @Option(names = "--out", description = "Results file (default: bench/results/analytics-latest.json).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AnalyticsBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SparkSettings settings = spark.settings().withKeyspace(benchKeyspace);
        Path home = Path.of(System.getProperty("crm.home", "")).toAbsolutePath();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("when", Instant.now().toString());
        results.put("master", settings.master());
        results.put("cores", Runtime.getRuntime().availableProcessors());
        int players = (int) Math.max(1, Math.round(events / (DAYS * EVENTS_PER_PLAYER_DAY)));
        if (!reuse) {
            SparkSession session = CrmSpark.open(settings, "crm bench analytics: load");
            try {
                long start = System.nanoTime();
                long rows = load(session, settings, players);
                double s = (System.nanoTime() - start) / 1e9;
                results.put("loaded_rows", rows);
                results.put("load_rows_per_s", Math.round(rows / s));
                System.out.printf(Locale.ROOT, "loaded %,d events of %,d players over %d days in %.1f s (%,.0f rows/s)%n",
                        rows, players, DAYS, s, rows / s);
            } finally {
                session.stop();
            }
        }
        SparkSession session = CrmSpark.open(settings, "crm bench analytics");
        try {
            CrmTables.register(session, benchKeyspace, List.of(CrmTables.PLAYER_EVENTS, CrmTables.CAMPAIGN_DECISIONS));
            Analyst analyst = new Analyst(session);
            LocalDate last = FIRST_DAY.plusDays(DAYS - 1);

            Answer streak = analyst.lostStreak(last, 3, 10, false);
            results.put("lost_streak_cold_s", streak.millis() / 1000.0);
            System.out.printf(Locale.ROOT, "lost-streak --min 3 --day %s, cold: %.1f s (%s)%n", last,
                    streak.millis() / 1000.0, streak.sentence());

            long start = System.nanoTime();
            Row scan = session.sql("SELECT count(*), sum(length(event)) FROM player_events").first();
            double scanS = (System.nanoTime() - start) / 1e9;
            long rows = scan.getLong(0);
            results.put("scan_rows", rows);
            results.put("scan_bytes", scan.getLong(1));
            results.put("scan_rows_per_s", Math.round(rows / scanS));
            System.out.printf(Locale.ROOT, "full scan of player_events: %,d rows (%,d MB of JSON) in %.1f s (%,.0f rows/s)%n",
                    rows, scan.getLong(1) >> 20, scanS, rows / scanS);

            Answer again = analyst.lostStreak(last, 3, 10, false);
            results.put("lost_streak_warm_s", again.millis() / 1000.0);
            System.out.printf(Locale.ROOT, "lost-streak again (no cache): %.1f s%n", again.millis() / 1000.0);

            session.catalog().cacheTable(CrmTables.PLAYER_EVENTS);
            start = System.nanoTime();
            session.table(CrmTables.PLAYER_EVENTS).count();
            results.put("cache_fill_s", (System.nanoTime() - start) / 1e9);
            for (int i = 1; i <= 3; i++) {
                Answer cachedStreak = analyst.lostStreak(last, 3, 10, false);
                Answer cachedSql = analyst.sql("SELECT event_type, count(*) FROM player_events GROUP BY event_type", 10);
                results.put("cached_lost_streak_s_" + i, cachedStreak.millis() / 1000.0);
                results.put("cached_sql_s_" + i, cachedSql.millis() / 1000.0);
                System.out.printf(Locale.ROOT, "tables cached (as serve keeps them), round %d: lost-streak %.2f s, "
                        + "events by type %.2f s%n", i, cachedStreak.millis() / 1000.0, cachedSql.millis() / 1000.0);
            }
            session.catalog().clearCache();

            Path dir = handlers != null ? handlers : home.resolve("handlers-js");
            Backtest.Result r = new Backtest(session).run(new Backtest.Request(HandlerRuntime.Source.read(dir), FIRST_DAY,
                    last, null, session.sparkContext().defaultParallelism()));
            results.put("backtest_events", r.events());
            results.put("backtest_decisions", r.decisionCount());
            results.put("backtest_s", r.millis() / 1000.0);
            results.put("backtest_events_per_s", Math.round(r.eventsPerSecond()));
            System.out.printf(Locale.ROOT, "backtest of %s: %,d events, %,d decisions in %.1f s (%,.0f events/s, "
                    + "reading player_events included)%n", dir, r.events(), r.decisionCount(), r.millis() / 1000.0,
                    r.eventsPerSecond());
        } finally {
            session.stop();
        }
        Path file = out != null ? out : home.resolve("bench/results/analytics-latest.json");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.write(results) + System.lineSeparator());
        System.out.println("results: " + file);
        return 0;
    }

    /** Recreates the keyspace with the topology's schema and writes the history's player_events rows. */
    static long load(SparkSession session, SparkSettings settings, int players) {
        try (CqlSession cql = CassandraConnector.apply(session.sparkContext().getConf()).openSession()) {
            cql.execute("DROP KEYSPACE IF EXISTS " + settings.keyspace());
            CqlSchema.apply(cql, settings.keyspace(), "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        }
        StructType schema = new StructType().add("player_id", DataTypes.StringType).add("day", DataTypes.DateType)
                .add("event_id", DataTypes.StringType).add("source_event_id", DataTypes.StringType)
                .add("event_type", DataTypes.StringType).add("event", DataTypes.StringType);
        List<Integer> ids = new ArrayList<>();
        IntStream.rangeClosed(1, players).forEach(ids::add);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
        Dataset<Row> rows = session.createDataFrame(jsc.parallelize(ids, 16).flatMap(p -> {
            List<Row> out = new ArrayList<>();
            for (GameHistory.Event e : GameHistory.player(42, p, FIRST_DAY, DAYS)) {
                out.add(RowFactory.create(e.playerId(), java.sql.Date.valueOf(e.time().atOffset(ZoneOffset.UTC).toLocalDate()),
                        TimeUuids.of(e.time().toEpochMilli(), e.eventId()).toString(), e.eventId(), e.type(), e.json()));
            }
            return out.iterator();
        }), schema);
        rows.write().format("org.apache.spark.sql.cassandra").option("keyspace", settings.keyspace())
                .option("table", CrmTables.PLAYER_EVENTS).mode("append").save();
        return session.table(CrmSpark.table(settings.keyspace(), CrmTables.PLAYER_EVENTS)).count();
    }
}
