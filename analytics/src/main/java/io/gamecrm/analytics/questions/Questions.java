package io.gamecrm.analytics.questions;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.gamecrm.analytics.spark.CrmTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The named questions, on the views of {@link CrmTables} (registered by the caller). Each returns
 * a lazy dataset; nothing runs until it is collected.
 */
public final class Questions {
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern PROFILE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final SparkSession spark;

    public Questions(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * Each fight of every player with the player's lost streak after it, from player_events alone:
     * fights in event-time order, a lost fight adds one, any other result ends the streak (as the
     * shipped fight-streak.js keeps {@code lost_streak}). Streaks run across days: a player who lost
     * twice late on Monday and once early on Tuesday is on a streak of three on Tuesday.
     *
     * <p>Window functions over one window (one shuffle, one sort): {@code idx} numbers a player's
     * fights, {@code reset} is the number of the last fight that was not lost, and the streak is
     * the distance between them. Each event's JSON is parsed once.
     */
    public Dataset<Row> fightStreaks(LocalDate upTo) {
        String sql = """
                WITH fights AS (
                  SELECT player_id, event_id, day, CAST(f.timestamp AS TIMESTAMP) AS event_time,
                         f.payload.result = 'lost' AS lost
                  FROM (SELECT player_id, event_id, day,
                               from_json(event, 'timestamp STRING, payload STRUCT<result: STRING>') AS f
                        FROM player_events
                        WHERE event_type = 'fight' AND day <= DATE '%s')),
                numbered AS (
                  SELECT *, ROW_NUMBER() OVER w AS idx
                  FROM fights
                  WINDOW w AS (PARTITION BY player_id ORDER BY event_time, event_id)),
                reset AS (
                  SELECT *, MAX(CASE WHEN lost THEN 0 ELSE idx END) OVER w AS reset
                  FROM numbered
                  WINDOW w AS (PARTITION BY player_id ORDER BY event_time, event_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
                SELECT player_id, event_time, event_id, day, lost, CAST(idx - reset AS BIGINT) AS streak
                FROM reset""".formatted(upTo);
        return spark.sql(sql);
    }

    /**
     * The players who lost at least {@code min} fights in a row during {@code day} (UTC): their
     * longest streak that day and when they reached {@code min}. The topology's daily aggregate
     * (daily_metric_players, lost_streak, reached = min) holds the same players.
     */
    public Dataset<Row> lostStreak(LocalDate day, int min) {
        if (min < 1) {
            throw new IllegalArgumentException("--min must be at least 1, got " + min);
        }
        return fightStreaks(day).where(col("day").equalTo(lit(java.sql.Date.valueOf(day))))
                .groupBy("player_id")
                .agg(org.apache.spark.sql.functions.max("streak").as("longest_streak"),
                        min(when(col("streak").geq(min), col("event_time"))).as("reached_at"))
                .where(col("longest_streak").geq(min))
                .orderBy(col("longest_streak").desc(), col("player_id"));
    }

    /**
     * Each player's longest lost streak on each day from {@code from} to {@code to} on which they
     * fought: player_id, day, longest_streak. A player is in lostStreak(day, n) exactly when the
     * longest streak of that day is at least n.
     */
    public Dataset<Row> dailyLongestStreaks(LocalDate from, LocalDate to) {
        checkRange(from, to);
        return fightStreaks(to).where(col("day").geq(lit(java.sql.Date.valueOf(from))))
                .groupBy("player_id", "day").agg(org.apache.spark.sql.functions.max("streak").as("longest_streak"));
    }

    /** How many players had each longest lost streak on {@code day} (players who fought that day). */
    public Dataset<Row> streakHistogram(LocalDate day) {
        return fightStreaks(day).where(col("day").equalTo(lit(java.sql.Date.valueOf(day))))
                .groupBy("player_id").agg(org.apache.spark.sql.functions.max("streak").as("longest_streak"))
                .groupBy("longest_streak").agg(count(lit(1)).as("players"))
                .orderBy("longest_streak");
    }

    /** The topology's own answer: the players in daily_metric_players for (day, metric, min). */
    public Dataset<Row> dailyAggregate(LocalDate day, String metric, int min) {
        return spark.table(CrmTables.DAILY_METRIC_PLAYERS)
                .where(col("day").equalTo(lit(java.sql.Date.valueOf(day))).and(col("metric").equalTo(metric))
                        .and(col("reached").equalTo(min)))
                .select("player_id", "at");
    }

    /**
     * Offers per campaign per day (UTC, event time) from campaign_decisions: fired, suppressed, and
     * one column per outcome that occurred (CAP_PER_DAY, SHADOW, ...). Decisions without a
     * campaign (a campaign handler that failed) count under "(handler error)".
     */
    public Dataset<Row> offersPerDay(LocalDate from, LocalDate to) {
        checkRange(from, to);
        Dataset<Row> d = spark.table(CrmTables.CAMPAIGN_DECISIONS)
                .where(col("day").between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to))))
                .withColumn("campaign", coalesce(col("campaign"), lit("(handler error)")));
        List<String> outcomes = new ArrayList<>();
        for (Row r : d.select("outcome").distinct().orderBy("outcome").collectAsList()) {
            outcomes.add(r.getString(0));
        }
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(when(col("outcome").equalTo("FIRED"), 1).otherwise(0)).as("fired"));
        aggs.add(sum(when(col("outcome").notEqual("FIRED"), 1).otherwise(0)).as("suppressed"));
        for (String o : outcomes) {
            if (!o.equals("FIRED")) {
                aggs.add(sum(when(col("outcome").equalTo(o), 1).otherwise(0)).as(o));
            }
        }
        return d.groupBy("day", "campaign")
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .orderBy("day", "campaign");
    }

    /**
     * A funnel over event types: how many players did {@code steps[0]}, then {@code steps[1]} at
     * or after that, and so on (first occurrence of each step after the previous one), between
     * {@code from} and {@code to}.
     */
    public Dataset<Row> funnel(List<String> steps, LocalDate from, LocalDate to) {
        checkRange(from, to);
        if (steps.size() < 2) {
            throw new IllegalArgumentException("a funnel needs at least two steps, got " + steps);
        }
        for (String s : steps) {
            if (!EVENT_TYPE.matcher(s).matches()) {
                throw new IllegalArgumentException("not an event type: '" + s + "'");
            }
        }
        Dataset<Row> events = spark.table(CrmTables.PLAYER_EVENTS)
                .where(col("day").between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to)))
                        .and(col("event_type").isin((Object[]) steps.toArray(new String[0]))))
                .select("player_id", "event_type", "event_time")
                .cache();
        try {
            List<Row> rows = new ArrayList<>();
            Dataset<Row> reached = null;
            long first = 0;
            long previous = 0;
            for (int i = 0; i < steps.size(); i++) {
                Dataset<Row> step = events.where(col("event_type").equalTo(steps.get(i)));
                if (reached == null) {
                    reached = step.groupBy("player_id").agg(min("event_time").as("t"));
                } else {
                    reached = step.join(reached, "player_id").where(col("event_time").geq(col("t")))
                            .groupBy("player_id").agg(min("event_time").as("t"));
                }
                reached = reached.localCheckpoint();
                long players = reached.count();
                if (i == 0) {
                    first = players;
                    previous = players;
                }
                rows.add(RowFactory.create(i + 1, steps.get(i), players, percent(players, previous),
                        percent(players, first)));
                previous = players;
            }
            StructType schema = new StructType()
                    .add("step", DataTypes.IntegerType).add("event_type", DataTypes.StringType)
                    .add("players", DataTypes.LongType).add("of_previous_pct", DataTypes.DoubleType)
                    .add("of_first_pct", DataTypes.DoubleType);
            return spark.createDataFrame(rows, schema);
        } finally {
            events.unpersist();
        }
    }

    /** The players with the highest value of a profile key (a column of the player_profile view). */
    public Dataset<Row> topPlayers(String metric, int limit) {
        if (!PROFILE_KEY.matcher(metric).matches()) {
            throw new IllegalArgumentException("not a profile key: '" + metric + "'");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        Dataset<Row> profiles = spark.table(CrmTables.PLAYER_PROFILE);
        List<String> columns = Arrays.asList(profiles.columns());
        if (!columns.contains(metric)) {
            List<String> keys = new ArrayList<>(columns);
            keys.removeAll(List.of("player_id", "version", "updated_at", "campaigns", "profile_json"));
            throw new IllegalArgumentException("no player has a profile key '" + metric + "' (keys: " + keys + ")");
        }
        return profiles.where(col(metric).isNotNull()).select(col("player_id"), col(metric), col("updated_at"))
                .orderBy(col(metric).desc(), col("player_id")).limit(limit);
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(1000.0 * part / whole) / 10.0;
    }

    static void checkRange(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
    }

    /** Parses "login,fight,purchase". */
    public static List<String> steps(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
