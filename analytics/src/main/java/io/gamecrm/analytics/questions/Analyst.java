package io.gamecrm.analytics.questions;

import static org.apache.spark.sql.functions.col;

import io.gamecrm.analytics.spark.CrmTables;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Answers the questions on a session whose views are registered: the same answers for
 * {@code crm analytics <question>} and for the warm session's HTTP API.
 */
public final class Analyst {
    /** The tracked metric the lost-streak question checks against. */
    public static final String LOST_STREAK = "lost_streak";

    private final SparkSession spark;
    private final Questions questions;

    public Analyst(SparkSession spark) {
        this.spark = spark;
        this.questions = new Questions(spark);
    }

    public SparkSession spark() {
        return spark;
    }

    /** Any Spark SQL over the views. A query Spark refuses is an {@link IllegalArgumentException}. */
    public Answer sql(String text, int limit) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the SQL text is empty");
        }
        return timed("sql", () -> {
            Dataset<Row> result;
            try {
                result = spark.sql(text);
            } catch (Exception e) {
                throw refused(e);
            }
            ResultTable t;
            try {
                t = ResultTable.collect(result, limit);
            } catch (Exception e) {
                throw refused(e);
            }
            return new Partial(t.rows().size() + (t.truncated() ? "+" : "") + (t.rows().size() == 1 ? " row" : " rows"), t);
        });
    }

    private static IllegalArgumentException refused(Exception e) {
        if (e instanceof AnalysisException || e.getClass().getName().contains("ParseException")) {
            String m = e.getMessage();
            int cut = m.indexOf("\n== SQL");
            return new IllegalArgumentException("Spark SQL refused the query: " + (cut > 0 ? m.substring(0, cut) : m), e);
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        return new IllegalArgumentException(e.getMessage(), e);
    }

    /**
     * Players who lost at least {@code min} fights in a row on {@code day}, from player_events.
     * With {@code compare}, also the topology's daily aggregate and whether both hold the same players.
     */
    public Answer lostStreak(LocalDate day, int min, int limit, boolean compare) {
        return timed("lost-streak", () -> {
            Dataset<Row> players = questions.lostStreak(day, min);
            ResultTable shown = ResultTable.collect(players, limit);
            // one job when every player fits the table, a count only when it does not
            long n = shown.truncated() ? players.count() : shown.rows().size();
            String sentence = n + (n == 1 ? " player" : " players") + " lost at least " + min
                    + " fights in a row on " + day + " (UTC), from player_events";
            if (compare) {
                Dataset<Row> fromEvents = players.select("player_id").cache();
                Dataset<Row> aggregate = questions.dailyAggregate(day, LOST_STREAK, min).select("player_id").cache();
                try {
                    long m = aggregate.count();
                    long onlyEvents = fromEvents.except(aggregate).count();
                    long onlyAggregate = aggregate.except(fromEvents).count();
                    sentence += "; the topology's daily aggregate has " + m + ": "
                            + (onlyEvents == 0 && onlyAggregate == 0 ? "they agree"
                            : "they differ (" + onlyEvents + " only in player_events, " + onlyAggregate
                            + " only in daily_metric_players)");
                } finally {
                    fromEvents.unpersist();
                    aggregate.unpersist();
                }
            }
            return new Partial(sentence, shown);
        });
    }

    /** How many players had each longest lost streak on {@code day}. */
    public Answer streakHistogram(LocalDate day) {
        return timed("streak-histogram", () -> {
            ResultTable t = ResultTable.collect(questions.streakHistogram(day), 10_000);
            long players = t.column("players").stream().mapToLong(v -> ((Number) v).longValue()).sum();
            return new Partial(players + " players fought on " + day + " (UTC)", t);
        });
    }

    public Answer offers(LocalDate from, LocalDate to, int limit) {
        return timed("offers", () -> {
            ResultTable t = ResultTable.collect(questions.offersPerDay(from, to), limit);
            long fired = t.column("fired").stream().mapToLong(v -> ((Number) v).longValue()).sum();
            long suppressed = t.column("suppressed").stream().mapToLong(v -> ((Number) v).longValue()).sum();
            Set<Object> campaigns = new HashSet<>(t.column("campaign"));
            return new Partial(fired + " offers fired and " + suppressed + " suppressed from " + from + " to " + to
                    + " (UTC), " + campaigns.size() + (campaigns.size() == 1 ? " campaign" : " campaigns"), t);
        });
    }

    public Answer funnel(List<String> steps, LocalDate from, LocalDate to) {
        return timed("funnel", () -> {
            ResultTable t = ResultTable.collect(questions.funnel(steps, from, to), steps.size());
            List<Object> players = t.column("players");
            return new Partial(players.get(players.size() - 1) + " of " + players.get(0) + " players went "
                    + String.join(" -> ", steps) + " from " + from + " to " + to + " (UTC)", t);
        });
    }

    public Answer top(String metric, int limit) {
        return timed("top", () -> {
            ResultTable t = ResultTable.collect(questions.topPlayers(metric, limit), limit);
            return new Partial("top " + t.rows().size() + " players by " + metric, t);
        });
    }

    /**
     * The uplift of a campaign over the exposures of {@code from}..{@code to}: one row per group,
     * the comparisons of the treated group with the held-out ones ({@link Uplift}).
     */
    public Answer uplift(String campaign, LocalDate from, LocalDate to) {
        return timed("uplift", () -> {
            Uplift.Report r = Uplift.report(Uplift.players(spark, campaign, from, to), campaign, from, to);
            return new Partial(r.sentence(), r.table());
        });
    }

    /** Each group's cumulative conversion rate per day, for the uplift's picture. */
    public Answer upliftOverTime(String campaign, LocalDate from, LocalDate to) {
        return timed("uplift-over-time", () -> {
            ResultTable t = Uplift.cumulative(Uplift.players(spark, campaign, from, to), from, to);
            return new Partial("cumulative conversion of campaign " + campaign + " per group", t);
        });
    }

    /** Drops the cached views and registers them again (after new data, or on the warm session's schedule). */
    public void refresh(String keyspace, boolean cache) {
        for (String view : CrmTables.ALL) {
            if (spark.catalog().tableExists(view) && spark.catalog().isCached(view)) {
                spark.catalog().uncacheTable(view);
            }
        }
        CrmTables.registerAll(spark, keyspace);
        if (cache) {
            for (String view : CrmTables.ALL) {
                spark.catalog().cacheTable(view);
                spark.table(view).select(col(spark.table(view).columns()[0])).count();
            }
        }
    }

    private record Partial(String sentence, ResultTable table) {
    }

    private static Answer timed(String question, Supplier<Partial> work) {
        long start = System.nanoTime();
        Partial p = work.get();
        return new Answer(question, p.sentence(), p.table(), (System.nanoTime() - start) / 1_000_000);
    }
}
