package io.gamecrm.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.analytics.AnalyticsCli;
import io.gamecrm.analytics.backtest.Backtest;
import io.gamecrm.analytics.backtest.HandlerRuntime;
import io.gamecrm.analytics.history.GameHistory;
import io.gamecrm.analytics.questions.Analyst;
import io.gamecrm.analytics.questions.Answer;
import io.gamecrm.analytics.questions.Questions;
import io.gamecrm.analytics.questions.ResultTable;
import io.gamecrm.analytics.serve.WarmSession;
import io.gamecrm.analytics.spark.CrmSpark;
import io.gamecrm.analytics.spark.CrmTables;
import io.gamecrm.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics on Spark local[2] over the real local Cassandra, on a generated history written by the
 * topology's own write path ({@link TopologyHistory}), checked against {@link HistoryOracle}:
 *
 * <ul>
 *   <li>SQL reaches every table; profile keys are columns</li>
 *   <li>lost-streak from player_events agrees with the topology's daily aggregate, both ways, every day and N</li>
 *   <li>Bob's streak runs across midnight</li>
 *   <li>offers per campaign per day, the funnel and the top players are what the history implies</li>
 *   <li>pictures are real SVG and PNG files</li>
 *   <li>a backtest of the shipped handlers changes nothing; one with a lower threshold shows exactly the
 *       expected new and gone offers</li>
 *   <li>the warm session answers over HTTP what the CLI answers; bad input is a 400 / exit code 2</li>
 * </ul>
 */
class AnalyticsIT {
    static final LocalDate FIRST_DAY = LocalDate.parse("2026-11-20");
    static final int DAYS = 4;
    static final String CAMPAIGN = "battle-tanks-offer";

    static String keyspace;
    static List<GameHistory.Event> events;
    static HistoryOracle oracle;
    static SparkSession spark;
    static Analyst analyst;
    static CqlSession cql;
    static final LocalDate SNAPSHOT_DAY = FIRST_DAY.plusDays(2);
    static Path snapshot;

    @BeforeAll
    static void writeHistory() throws Exception {
        keyspace = ItSpark.keyspace("analytics");
        events = GameHistory.generate(7, 40, FIRST_DAY, DAYS);
        oracle = new HistoryOracle(events, CAMPAIGN,
                HistoryOracle.declaredHoldout(ItSpark.repo().resolve("handlers-js"), CAMPAIGN));
        cql = TopologyHistory.cql(ItSpark.contactPoint(), ItSpark.datacenter());
        // the first two days, a snapshot of the profiles as they were then, the last two days
        java.time.Instant third = SNAPSHOT_DAY.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        List<GameHistory.Event> before = events.stream().filter(e -> e.time().isBefore(third)).toList();
        List<GameHistory.Event> after = events.stream().filter(e -> !e.time().isBefore(third)).toList();
        Path handlers = ItSpark.repo().resolve("handlers-js");
        TopologyHistory.write(cql, ItSpark.contactPointText(), ItSpark.datacenter(), keyspace, handlers, before);
        spark = CrmSpark.open(ItSpark.settings("local[2]", keyspace, 37100, List.of()), "AnalyticsIT");
        snapshot = Files.createTempDirectory("analytics-it").resolve("snapshot");
        Run saved = cli(concat(new String[] {"snapshot", "--out", snapshot.toString()}, cliConnection()));
        assertThat(saved.code).as(saved.err).isZero();
        TopologyHistory.write(cql, ItSpark.contactPointText(), ItSpark.datacenter(), keyspace, handlers, after,
                before.size());
        CrmTables.registerAll(spark, keyspace);
        analyst = new Analyst(spark);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        ItSpark.dropKeyspace(cql, keyspace);
    }

    @Test
    void sqlReachesEveryTable() {
        ResultTable byType = analyst.sql("SELECT event_type, count(*) AS n FROM player_events GROUP BY event_type",
                100).table();
        Map<String, Long> counts = new TreeMap<>();
        byType.rows().forEach(r -> counts.put((String) r.get(0), ((Number) r.get(1)).longValue()));
        assertThat(counts).isEqualTo(oracle.countsByType());

        for (String table : List.of("campaign_decisions", "trigger_outbox", "daily_metric_players", "player_profile")) {
            long n = ((Number) analyst.sql("SELECT count(*) FROM " + table, 1).table().rows().get(0).get(0)).longValue();
            assertThat(n).as(table).isPositive();
        }
    }

    @Test
    void profileKeysAreColumnsOfPlayerProfile() {
        ResultTable bob = analyst.sql("SELECT fights, wins, lost_streak, logins, platform FROM player_profile "
                + "WHERE player_id = 'bob'", 10).table();
        Map<String, Long> expected = oracle.profile(GameHistory.BOB);
        assertThat(bob.rows()).hasSize(1);
        Map<String, Object> row = bob.records().get(0);
        assertThat(((Number) row.get("fights")).longValue()).isEqualTo(expected.get("fights"));
        assertThat(((Number) row.get("wins")).longValue()).isEqualTo(expected.get("wins"));
        assertThat(((Number) row.get("lost_streak")).longValue()).isEqualTo(expected.get("lost_streak"));
        assertThat(((Number) row.get("logins")).longValue()).isEqualTo(expected.get("logins"));
        assertThat(row.get("platform")).isEqualTo("android");
    }

    @Test
    void lostStreakFromEventsAgreesWithTheTopologysDailyAggregateBothWays() {
        LocalDate last = FIRST_DAY.plusDays(DAYS - 1);
        // (day, N) -> players, from player_events (the question's window functions) and from the aggregate
        Map<String, Set<String>> fromEvents = new TreeMap<>();
        for (Row r : new Questions(spark).dailyLongestStreaks(FIRST_DAY, last).collectAsList()) {
            for (int n = 1; n <= r.getLong(2); n++) {
                fromEvents.computeIfAbsent(r.get(1) + "/" + n, k -> new TreeSet<>()).add(r.getString(0));
            }
        }
        Map<String, Set<String>> aggregate = new TreeMap<>();
        for (Row r : spark.table(CrmTables.DAILY_METRIC_PLAYERS).where("metric = 'lost_streak'")
                .select("day", "reached", "player_id").collectAsList()) {
            aggregate.computeIfAbsent(r.get(0) + "/" + r.getInt(1), k -> new TreeSet<>()).add(r.getString(2));
        }
        assertThat(fromEvents.keySet()).isEqualTo(aggregate.keySet());
        int checked = 0;
        for (String dayAndN : fromEvents.keySet()) {
            assertThat(fromEvents.get(dayAndN)).as("only in player_events, " + dayAndN).isSubsetOf(aggregate.get(dayAndN));
            assertThat(aggregate.get(dayAndN)).as("only in daily_metric_players, " + dayAndN)
                    .isSubsetOf(fromEvents.get(dayAndN));
            String[] parts = dayAndN.split("/");
            assertThat(fromEvents.get(dayAndN)).as(dayAndN)
                    .isEqualTo(oracle.lostStreak(LocalDate.parse(parts[0]), Integer.parseInt(parts[1])));
            checked += fromEvents.get(dayAndN).size();
        }
        assertThat(checked).as("players checked over all days and N").isGreaterThan(100);
        assertThat(fromEvents).containsKey(FIRST_DAY.plusDays(2) + "/5");

        LocalDate third = FIRST_DAY.plusDays(2);
        Answer compared = analyst.lostStreak(third, 3, 1000, true);
        assertThat(players(compared.table())).isEqualTo(aggregate.get(third + "/3"));
        assertThat(compared.sentence()).contains("they agree");
    }

    @Test
    void bobsStreakRunsAcrossMidnight() {
        assertThat(players(analyst.lostStreak(FIRST_DAY, 2, 1000, false).table())).contains(GameHistory.BOB);
        assertThat(players(analyst.lostStreak(FIRST_DAY, 3, 1000, false).table())).doesNotContain(GameHistory.BOB);
        ResultTable second = analyst.lostStreak(FIRST_DAY.plusDays(1), 3, 1000, false).table();
        int bob = second.column("player_id").indexOf(GameHistory.BOB);
        assertThat(bob).isNotNegative();
        assertThat(((Number) second.rows().get(bob).get(second.columnIndex("longest_streak"))).intValue()).isEqualTo(4);
    }

    @Test
    void offersPerCampaignPerDayAreWhatTheHistoryImplies() {
        ResultTable t = analyst.offers(FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1), 100).table();
        Map<LocalDate, long[]> expected = oracle.offersPerDay(3);
        Map<LocalDate, long[]> got = new TreeMap<>();
        for (Map<String, Object> r : t.records()) {
            assertThat(r.get("campaign")).isEqualTo(CAMPAIGN);
            got.put(LocalDate.parse((String) r.get("day")), new long[] {((Number) r.get("fired")).longValue(),
                    ((Number) r.get("suppressed")).longValue()});
        }
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        expected.forEach((day, c) -> assertThat(got.get(day)).as(day.toString()).containsExactly(c));
        assertThat(t.columns()).contains("CAP_PER_DAY");
        // the shipped campaign's control group: held-out players qualify and are counted, not offered
        assertThat(oracle.decisions(3)).containsValue("HOLDOUT");
        assertThat(t.columns()).contains("HOLDOUT");
    }

    @Test
    void funnelCountsPlayersWhoDidEachStepAfterThePrevious() {
        List<String> steps = List.of("login", "fight", "purchase");
        ResultTable t = analyst.funnel(steps, FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1)).table();
        long[] expected = oracle.funnel(steps);
        assertThat(t.column("players").stream().mapToLong(v -> ((Number) v).longValue()).toArray())
                .containsExactly(expected);
        assertThat(expected[2]).isPositive().isLessThan(expected[0]);
    }

    @Test
    void topPlayersByAProfileMetric() {
        ResultTable t = analyst.top("wins", 5).table();
        long best = oracle.wins().values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(((Number) t.rows().get(0).get(1)).longValue()).isEqualTo(best);
        for (Map<String, Object> r : t.records()) {
            assertThat(((Number) r.get("wins")).longValue()).isEqualTo(oracle.wins().get((String) r.get("player_id")));
        }
        assertThatThrownBy(() -> analyst.top("no_such_key", 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wins");
    }

    @Test
    void picturesAreSvgAndPngFiles(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("offers.svg");
        Path png = dir.resolve("streaks.png");
        String[] common = cliConnection();
        assertThat(cli(concat(new String[] {"offers", "--from", FIRST_DAY.toString(), "--to",
                FIRST_DAY.plusDays(DAYS - 1).toString(), "--plot", svg.toString()}, common)).code).isZero();
        assertThat(cli(concat(new String[] {"lost-streak", "--min", "3", "--day", FIRST_DAY.plusDays(1).toString(),
                "--plot", png.toString()}, common)).code).isZero();
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = xml.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(Files.readString(svg)).contains(CAMPAIGN).contains(FIRST_DAY.plusDays(1).toString());
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(500);
    }

    @Test
    void backtestOfTheShippedHandlersChangesNothing() throws Exception {
        Backtest.Result r = backtest(ItSpark.repo().resolve("handlers-js"));
        assertThat(r.events()).isEqualTo(events.size());
        assertThat(r.invalid()).isZero();
        assertThat(r.differences().count()).isZero();
        long fired = oracle.decisions(3).values().stream().filter("FIRED"::equals).count();
        assertThat(sum(r, "backtest_fired")).isEqualTo(fired).isEqualTo(sum(r, "actual_fired"));
        assertThat(sum(r, "backtest_suppressed")).isEqualTo(oracle.decisions(3).size() - fired);
    }

    @Test
    void backtestOfALowerThresholdShowsTheExpectedNewAndGoneOffers(@TempDir Path dir) throws Exception {
        for (Path f : Files.list(ItSpark.repo().resolve("handlers-js")).filter(p -> p.toString().endsWith(".js")).toList()) {
            Files.writeString(dir.resolve(f.getFileName()), Files.readString(f).replace("=== 3", "=== 2"));
        }
        assertThat(Files.readString(dir.resolve("battle-tanks-offer.js"))).contains("=== 2");
        Backtest.Result r = backtest(dir);

        Set<String> firedAt3 = fired(oracle.decisions(3));
        Set<String> firedAt2 = fired(oracle.decisions(2));
        Set<String> expectedNew = new TreeSet<>(firedAt2);
        expectedNew.removeAll(firedAt3);
        Set<String> expectedGone = new TreeSet<>(firedAt3);
        expectedGone.removeAll(firedAt2);
        Map<String, Set<String>> got = new HashMap<>();
        for (Row row : r.differences().collectAsList()) {
            got.computeIfAbsent(row.getAs("change"), k -> new TreeSet<>()).add(row.getAs("cause_event_id"));
        }
        assertThat(got.getOrDefault("new", Set.of())).isEqualTo(expectedNew).isNotEmpty();
        assertThat(got.getOrDefault("gone", Set.of())).isEqualTo(expectedGone);
        assertThat(got).doesNotContainKey("changed");
        // Bob is offered on the first day already, at his second loss in a row
        Set<String> bobNew = new HashSet<>();
        r.differences().where("player_id = 'bob' AND change = 'new'").collectAsList()
                .forEach(row -> bobNew.add(row.getAs("day").toString()));
        assertThat(bobNew).contains(FIRST_DAY.toString());
    }

    @Test
    void backtestFromASnapshotContinuesWhereTheSnapshotWasTaken() throws Exception {
        Backtest.Result fromSnapshot = new Backtest(spark).run(new Backtest.Request(
                HandlerRuntime.Source.read(ItSpark.repo().resolve("handlers-js")), SNAPSHOT_DAY,
                FIRST_DAY.plusDays(DAYS - 1), snapshot.toString(), 2));
        long lastDays = events.stream().filter(e -> !HistoryOracle.day(e.time()).isBefore(SNAPSHOT_DAY)).count();
        assertThat(fromSnapshot.events()).isEqualTo(lastDays);
        assertThat(fromSnapshot.differences().count()).isZero();
        Backtest.Result fromEmpty = new Backtest(spark).run(new Backtest.Request(
                HandlerRuntime.Source.read(ItSpark.repo().resolve("handlers-js")), SNAPSHOT_DAY,
                FIRST_DAY.plusDays(DAYS - 1), null, 2));
        assertThat(fromEmpty.differences().count()).as("empty profiles forget the streaks of the day before")
                .isPositive();
    }

    @Test
    void backtestRefusesAHandlerSetTheTopologyWouldRefuse(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.js"), "crm.handler({ name: 'x', on: ['fight'], update: function( { });");
        assertThatThrownBy(() -> backtest(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.js");
    }

    @Test
    void warmSessionAnswersOverHttpAsTheCliDoes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (WarmSession server = new WarmSession(new Analyst(spark), keyspace, "127.0.0.1", 0, Duration.ZERO, true)) {
            String base = "http://127.0.0.1:" + server.port();
            Map<String, Object> health = get(http, base + "/health", 200);
            assertThat(health).containsEntry("status", "ok").containsEntry("cached", true);

            String day = FIRST_DAY.plusDays(1).toString();
            Map<String, Object> first = get(http, base + "/lost-streak?min=3&day=" + day, 200);
            Map<String, Object> again = get(http, base + "/lost-streak?min=3&day=" + day, 200);
            // printed, not asserted: no test depends on this machine's speed
            System.out.println("warm session: lost-streak answered in " + first.get("millis") + " ms, again in "
                    + again.get("millis") + " ms");
            assertThat(again.get("rows")).isEqualTo(first.get("rows"));
            Set<String> players = new TreeSet<>();
            for (Object o : (List<?>) first.get("rows")) {
                players.add((String) ((Map<?, ?>) o).get("player_id"));
            }
            assertThat(players).isEqualTo(oracle.lostStreak(FIRST_DAY.plusDays(1), 3));

            Map<String, Object> sql = get(http, base + "/sql?q=" + URLEncoder.encode(
                    "SELECT count(*) AS n FROM player_events", StandardCharsets.UTF_8), 200);
            assertThat(((Number) ((Map<?, ?>) ((List<?>) sql.get("rows")).get(0)).get("n")).longValue())
                    .isEqualTo(events.size());
            assertThat(get(http, base + "/sql?q=" + URLEncoder.encode("SELEC nonsense", StandardCharsets.UTF_8), 400))
                    .containsKey("error");
            assertThat(get(http, base + "/lost-streak?min=three", 400).get("error").toString()).contains("min");
            assertThat(get(http, base + "/nowhere", 404)).containsKey("error");
        }
        assertThat(spark.catalog().isCached(CrmTables.PLAYER_EVENTS)).isTrue();
        spark.catalog().clearCache();
    }

    @Test
    void cliPrintsCsvAndJsonAndRefusesBadInput() throws Exception {
        String[] common = cliConnection();
        Run csv = cli(concat(new String[] {"sql", "SELECT event_type, count(*) AS n FROM player_events "
                + "GROUP BY event_type ORDER BY event_type", "--csv"}, common));
        assertThat(csv.code).isZero();
        List<String> lines = csv.out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("event_type,n");
        List<String> expected = new ArrayList<>();
        oracle.countsByType().forEach((type, n) -> expected.add(type + "," + n));
        assertThat(lines.subList(1, lines.size())).isEqualTo(expected);

        Run json = cli(concat(new String[] {"lost-streak", "--min", "3", "--day", FIRST_DAY.plusDays(1).toString(),
                "--json", "--compare"}, common));
        assertThat(json.code).isZero();
        assertThat(((List<?>) Json.readObject(json.out).get("rows"))).hasSize(oracle.lostStreak(FIRST_DAY.plusDays(1), 3).size());
        assertThat(json.err).contains("they agree");

        Run bad = cli(concat(new String[] {"sql", "SELECT * FROM no_such_table"}, common));
        assertThat(bad.code).isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(bad.err).contains("no_such_table");
        assertThat(cli(concat(new String[] {"offers", "--from", "yesterday"}, common)).code)
                .isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(cli(concat(new String[] {"lost-streak", "--min", "3", "--plot", "x.gif"}, common)).code)
                .isEqualTo(AnalyticsCli.BAD_INPUT);
    }

    private static Backtest.Result backtest(Path handlers) throws Exception {
        return new Backtest(spark).run(new Backtest.Request(HandlerRuntime.Source.read(handlers), FIRST_DAY,
                FIRST_DAY.plusDays(DAYS - 1), null, 2));
    }

    private static long sum(Backtest.Result r, String column) {
        return ResultTable.collect(r.perDay(), 1000).column(column).stream().mapToLong(v -> ((Number) v).longValue()).sum();
    }

    private static Set<String> fired(Map<String, String> decisions) {
        Set<String> out = new TreeSet<>();
        decisions.forEach((id, outcome) -> {
            if (outcome.equals("FIRED")) {
                out.add(id);
            }
        });
        return out;
    }

    private static Set<String> players(ResultTable t) {
        Set<String> out = new TreeSet<>();
        t.column("player_id").forEach(p -> out.add((String) p));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(HttpClient http, String url, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return Json.readObject(r.body());
    }

    record Run(int code, String out, String err) {
    }

    static String[] cliConnection() {
        return new String[] {"--properties", ItSpark.repo().resolve("flux/local.properties").toString(), "--cassandra",
                ItSpark.contactPointText(), "--keyspace", keyspace};
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream sysOut = System.out;
        PrintStream sysErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = AnalyticsCli.run(o, e, args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
