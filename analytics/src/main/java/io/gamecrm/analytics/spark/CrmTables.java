package io.gamecrm.analytics.spark;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.to_date;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The CRM's tables as Spark SQL views named like the tables, read through the connector's catalog
 * (filters on key columns are pushed down to Cassandra), with what the JSON columns hold made
 * queryable:
 *
 * <ul>
 *   <li>{@code player_events}: the table, plus {@code event_time} (the event's own timestamp);</li>
 *   <li>{@code player_profile}: player_id, version, updated_at, campaigns, and one column per profile
 *       key (schema inferred from the stored profiles; a key named like a table column gets a
 *       {@code profile_} prefix);</li>
 *   <li>{@code campaign_decisions}: the table, plus {@code decided_time} (the cause event's time,
 *       from the timeuuid) and its UTC {@code day};</li>
 *   <li>{@code trigger_outbox}, {@code daily_metric_players}: as stored;</li>
 *   <li>{@code campaign_exposures}, {@code campaign_conversions} (the uplift's records): as stored. They
 *       are not in {@link #ALL} (the warm session's cached views); {@code sql} registers them when a
 *       query names them, {@code uplift} reads them.</li>
 * </ul>
 */
public final class CrmTables {
    public static final String PLAYER_EVENTS = "player_events";
    public static final String PLAYER_PROFILE = "player_profile";
    public static final String CAMPAIGN_DECISIONS = "campaign_decisions";
    public static final String TRIGGER_OUTBOX = "trigger_outbox";
    public static final String DAILY_METRIC_PLAYERS = "daily_metric_players";
    public static final String CAMPAIGN_EXPOSURES = "campaign_exposures";
    public static final String CAMPAIGN_CONVERSIONS = "campaign_conversions";
    public static final List<String> ALL = List.of(PLAYER_EVENTS, PLAYER_PROFILE, CAMPAIGN_DECISIONS, TRIGGER_OUTBOX,
            DAILY_METRIC_PLAYERS);
    /** Every view a query may name: {@link #ALL} and the campaigns' exposures and conversions. */
    public static final List<String> QUERYABLE = List.of(PLAYER_EVENTS, PLAYER_PROFILE, CAMPAIGN_DECISIONS,
            TRIGGER_OUTBOX, DAILY_METRIC_PLAYERS, CAMPAIGN_EXPOSURES, CAMPAIGN_CONVERSIONS);

    private CrmTables() {
    }

    /** Registers every view. */
    public static void registerAll(SparkSession spark, String keyspace) {
        register(spark, keyspace, ALL);
    }

    /** Registers the named views only (the profile view scans every profile to infer its columns). */
    public static void register(SparkSession spark, String keyspace, Iterable<String> views) {
        for (String view : views) {
            view(spark, keyspace, view).createOrReplaceTempView(view);
        }
    }

    /** The views a SQL text names (as whole words), in {@link #QUERYABLE} order. */
    public static List<String> mentionedIn(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String view : QUERYABLE) {
            if (Pattern.compile("\\b" + view + "\\b").matcher(lower).find()) {
                out.add(view);
            }
        }
        return out;
    }

    /** One view's dataset. */
    public static Dataset<Row> view(SparkSession spark, String keyspace, String view) {
        Dataset<Row> t = spark.table(CrmSpark.table(keyspace, view));
        switch (view) {
            case PLAYER_EVENTS:
                return t.withColumn("event_time", get_json_object(col("event"), "$.timestamp").cast("timestamp"));
            case PLAYER_PROFILE:
                return profiles(spark, t);
            case CAMPAIGN_DECISIONS:
                Column time = callUDF(TimeUuidTime.NAME, col("decided_at"));
                return t.withColumn("decided_time", time).withColumn("day", to_date(time));
            case TRIGGER_OUTBOX:
            case DAILY_METRIC_PLAYERS:
            case CAMPAIGN_EXPOSURES:
            case CAMPAIGN_CONVERSIONS:
                return t;
            default:
                throw new IllegalArgumentException("no such table: " + view + " (tables: " + QUERYABLE + ")");
        }
    }

    private static Dataset<Row> profiles(SparkSession spark, Dataset<Row> t) {
        Dataset<String> json = t.select(col("profile")).where(col("profile").isNotNull()).as(Encoders.STRING());
        StructType inferred = spark.read().json(json).schema();
        Set<String> taken = new LinkedHashSet<>(List.of("player_id", "version", "updated_at", "campaigns"));
        List<Column> columns = new ArrayList<>();
        for (String c : taken) {
            columns.add(col(c));
        }
        columns.add(col("profile").as("profile_json"));
        Column parsed = from_json(col("profile"), inferred);
        for (StructField f : inferred.fields()) {
            if (f.name().startsWith("_corrupt")) {
                continue;
            }
            String name = taken.contains(f.name().toLowerCase(Locale.ROOT)) || f.name().equals("profile_json")
                    ? "profile_" + f.name() : f.name();
            columns.add(parsed.getField(f.name()).as(name));
        }
        return t.select(columns.toArray(new Column[0]));
    }
}
