package io.gamecrm.analytics.backtest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.gamecrm.campaign.Holdout;
import io.gamecrm.analytics.spark.CrmTables;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What would this handler set have done? Replays the stored player_events of a period through
 * the topology's handler runtime ({@link HandlerRuntime}), players spread over the Spark
 * partitions by hash of player_id, each player's events in event-time order, from empty profiles
 * or from a snapshot of player_profile; then compares each decision with the one the topology
 * recorded in campaign_decisions for the same player, campaign and cause event.
 *
 * <p>A decision is <b>new</b> when it fires in the backtest and did not fire (or was not made) in
 * reality, <b>gone</b> when it fired in reality and does not in the backtest, <b>changed</b> when
 * both made it with the same firing but a different outcome or params.
 */
public final class Backtest {
    private static final Logger log = LoggerFactory.getLogger(Backtest.class);

    /** What to replay. {@code snapshot}: a Parquet folder written by {@code crm analytics snapshot}, or null. */
    public record Request(HandlerRuntime.Source handlers, LocalDate from, LocalDate to, String snapshot,
                          int partitions, double globalHoldout) {
        /** Without a global holdout. */
        public Request(HandlerRuntime.Source handlers, LocalDate from, LocalDate to, String snapshot, int partitions) {
            this(handlers, from, to, snapshot, partitions, 0);
        }

        public Request {
            Holdout.checkGlobalShare(globalHoldout);
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("--from " + from + " is after --to " + to);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
            }
            if (handlers.files().isEmpty()) {
                throw new IllegalArgumentException("the handlers folder has no *.js file");
            }
        }
    }

    /**
     * The outcome.
     *
     * @param perDay      per day and campaign: backtest fired/suppressed, actual fired/suppressed, new, gone, changed
     * @param suppressed  per campaign, outcome and reason: the backtest's suppressions
     * @param differences every decision that is new, gone or changed (lazy; take what you show)
     * @param decisions   every decision of the backtest (cached)
     */
    public record Result(String setVersion, long events, long invalid, long decisionCount, long millis,
                         Dataset<Row> perDay, Dataset<Row> suppressed, Dataset<Row> differences,
                         Dataset<Row> decisions) {
        public double eventsPerSecond() {
            return millis == 0 ? 0 : events * 1000.0 / millis;
        }
    }

    private final SparkSession spark;

    public Backtest(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * Compiles the set on the driver first (a refused file is an error: the topology would not
     * publish the set), then replays. The views player_events and campaign_decisions must be registered.
     */
    public Result run(Request request) {
        HandlerRuntime probe = HandlerRuntime.start(request.handlers(), request.partitions(), request.globalHoldout());
        if (!probe.problems().isEmpty()) {
            StringBuilder sb = new StringBuilder("the handler set does not compile, as the topology would refuse it:");
            probe.problems().forEach(p -> sb.append(System.lineSeparator()).append("  ").append(p.file()).append(": ")
                    .append(p.reason()));
            throw new IllegalArgumentException(sb.toString());
        }
        long start = System.nanoTime();
        LongAccumulator events = spark.sparkContext().longAccumulator("backtest.events");
        LongAccumulator invalid = spark.sparkContext().longAccumulator("backtest.invalid");
        Dataset<Row> input = input(request);
        Dataset<Row> decisions = input.repartition(request.partitions(), col("player_id"))
                .sortWithinPartitions(col("time"), col("kind"), col("event_id"))
                .mapPartitions(new ReplayPartition(request.handlers(), request.partitions(), request.globalHoldout(), events,
                        invalid),
                        Encoders.bean(ReplayedDecision.class))
                .select(col("playerId").as("player_id"), col("day"), col("eventTime").as("event_time"),
                        col("campaign"), col("handler"), col("handlerVersion").as("handler_version"), col("outcome"),
                        col("reason"), col("triggerId").as("trigger_id"), col("causeEventId").as("cause_event_id"),
                        col("causeEventType").as("cause_event_type"), col("params"))
                .cache();
        long count = decisions.count();
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("backtest of set {}: {} events ({} invalid), {} decisions in {} ms", probe.setVersion(), events.value(),
                invalid.value(), count, millis);
        Dataset<Row> compared = compare(decisions, actual(request.from(), request.to()));
        return new Result(probe.setVersion(), events.value(), invalid.value(), count, millis, perDay(compared),
                suppressed(decisions), compared.where(col("change").notEqual("same")).orderBy("day", "campaign",
                "player_id", "cause_event_id"), decisions);
    }

    /** The events of the period, and the snapshot's players when there is one, as replay rows. */
    private Dataset<Row> input(Request r) {
        Dataset<Row> events = spark.table(CrmTables.PLAYER_EVENTS)
                .where(col("day").between(lit(java.sql.Date.valueOf(r.from())), lit(java.sql.Date.valueOf(r.to()))))
                .select(col("player_id"), lit(ReplayPartition.EVENT).as("kind"), col("event_time").as("time"),
                        col("event_id"), col("event").as("payload"), lit(null).cast(DataTypes.StringType).as("campaigns"));
        if (r.snapshot() == null) {
            return events;
        }
        Dataset<Row> snapshot = spark.read().parquet(r.snapshot())
                .select(col("player_id"), lit(ReplayPartition.SNAPSHOT).as("kind"),
                        lit(new java.sql.Timestamp(0)).as("time"), lit("").as("event_id"), col("profile").as("payload"),
                        col("campaigns"));
        return snapshot.unionByName(events);
    }

    private Dataset<Row> actual(LocalDate from, LocalDate to) {
        return spark.table(CrmTables.CAMPAIGN_DECISIONS)
                .where(col("day").between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to))))
                .select(col("player_id"), col("day"), col("campaign"), col("handler"), col("outcome"), col("reason"),
                        col("cause_event_id"), col("params"));
    }

    private static Column key(String side) {
        return coalesce(col(side + ".campaign"), concat(lit("handler:"), col(side + ".handler")));
    }

    /** Full outer join of backtest (b) and actual (a) decisions on player, campaign and cause event. */
    static Dataset<Row> compare(Dataset<Row> backtest, Dataset<Row> actual) {
        Dataset<Row> b = backtest.alias("b_src").withColumn("k", key("b_src")).alias("b");
        Dataset<Row> a = actual.alias("a_src").withColumn("k", key("a_src")).alias("a");
        Column on = col("b.player_id").equalTo(col("a.player_id")).and(col("b.k").equalTo(col("a.k")))
                .and(col("b.cause_event_id").equalTo(col("a.cause_event_id")));
        Column bFired = coalesce(col("b.outcome").equalTo("FIRED"), lit(false));
        Column aFired = coalesce(col("a.outcome").equalTo("FIRED"), lit(false));
        Column both = col("b.outcome").isNotNull().and(col("a.outcome").isNotNull());
        Column differs = col("b.outcome").notEqual(col("a.outcome"))
                .or(coalesce(col("b.params"), lit("")).notEqual(coalesce(col("a.params"), lit(""))));
        Column change = when(bFired.and(not(aFired)), "new").when(aFired.and(not(bFired)), "gone")
                .when(both.and(differs), "changed").otherwise("same");
        return b.join(a, on, "full_outer").select(
                change.as("change"),
                coalesce(col("b.day"), col("a.day")).as("day"),
                coalesce(col("b.campaign"), col("a.campaign"), col("b.handler"), col("a.handler")).as("campaign"),
                coalesce(col("b.player_id"), col("a.player_id")).as("player_id"),
                coalesce(col("b.cause_event_id"), col("a.cause_event_id")).as("cause_event_id"),
                col("a.outcome").as("actual"), col("b.outcome").as("backtest"), col("b.reason").as("backtest_reason"),
                col("a.params").as("actual_params"), col("b.params").as("backtest_params"));
    }

    private static Dataset<Row> perDay(Dataset<Row> compared) {
        Column b = col("backtest");
        Column a = col("actual");
        return compared.groupBy("day", "campaign").agg(
                        sum(when(b.equalTo("FIRED"), 1).otherwise(0)).as("backtest_fired"),
                        sum(when(b.isNotNull().and(b.notEqual("FIRED")), 1).otherwise(0)).as("backtest_suppressed"),
                        sum(when(a.equalTo("FIRED"), 1).otherwise(0)).as("actual_fired"),
                        sum(when(a.isNotNull().and(a.notEqual("FIRED")), 1).otherwise(0)).as("actual_suppressed"),
                        sum(when(col("change").equalTo("new"), 1).otherwise(0)).as("new"),
                        sum(when(col("change").equalTo("gone"), 1).otherwise(0)).as("gone"),
                        sum(when(col("change").equalTo("changed"), 1).otherwise(0)).as("changed"))
                .orderBy("day", "campaign");
    }

    private static Dataset<Row> suppressed(Dataset<Row> decisions) {
        return decisions.where(col("outcome").notEqual("FIRED"))
                .groupBy(coalesce(col("campaign"), col("handler")).as("campaign"), col("outcome"), col("reason"))
                .agg(count(lit(1)).as("decisions"))
                .orderBy(col("campaign"), col("decisions").desc());
    }
}
