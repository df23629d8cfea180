package io.gamecrm.analytics.questions;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.gamecrm.analytics.questions.UpliftStats.Comparison;
import io.gamecrm.analytics.spark.CrmTables;
import io.gamecrm.analytics.questions.UpliftStats.Group;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A campaign's uplift from its records (campaign_exposures, campaign_conversions): the exposed
 * players of each group, how many converted, and the treated group against each held-out one
 * ({@link UpliftStats}).
 *
 * <p>The unit is the player, not the exposure: a player exposed several times in the range counts
 * once, in the group of the first exposure in the range (membership is deterministic per campaign
 * and player, so this matters only when a campaign's holdout share changed), and has converted
 * when any of those exposures converted. A conversion is read from the partition of its exposure
 * (campaign, day of the exposure), so it counts when its exposure is in the range, even if it
 * happened after {@code to}. The range is pushed down to Cassandra as {@code campaign = ? AND
 * day IN (...)}.
 */
public final class Uplift {
    public static final String TREATED = "treated";
    public static final String HOLDOUT = "holdout";
    public static final String HOLDOUT_GLOBAL = "holdout_global";
    static final String ACCEPTED = "offer_accepted";

    private Uplift() {
    }

    /**
     * One row per player exposed to {@code campaign} from {@code from} to {@code to}: player_id,
     * exposure_group, exposed_at (the first exposure's), groups (how many groups the player was
     * seen in), converted_at (the first conversion's, or null), accepted (1 when a conversion came
     * by offer_accepted, else 0), value (the sum of the conversion values).
     */
    public static Dataset<Row> players(Dataset<Row> exposures, Dataset<Row> conversions, String campaign,
                                       LocalDate from, LocalDate to) {
        check(campaign, from, to);
        Dataset<Row> exposed = exposures.where(inRange(campaign, from, to))
                .groupBy("player_id")
                .agg(min(struct(col("exposed_at"), col("trigger_id"), col("exposure_group"))).as("first"),
                        countDistinct("exposure_group").as("groups"))
                .select(col("player_id"), col("first.exposure_group").as("exposure_group"),
                        col("first.exposed_at").as("exposed_at"), col("groups"));
        Dataset<Row> converted = conversions.where(inRange(campaign, from, to))
                .groupBy("player_id")
                .agg(min("converted_at").as("converted_at"),
                        max(when(col("attribution").equalTo(ACCEPTED), 1).otherwise(0)).as("accepted"),
                        sum(coalesce(col("conversion_value"), lit(0.0))).as("value"));
        return exposed.join(converted, exposed.col("player_id").equalTo(converted.col("player_id")), "left")
                .select(exposed.col("player_id"), col("exposure_group"), col("exposed_at"), col("groups"),
                        col("converted_at"), coalesce(col("accepted"), lit(0)).as("accepted"),
                        coalesce(col("value"), lit(0.0)).as("value"));
    }

    /** The same players, from the views campaign_exposures and campaign_conversions of the session. */
    public static Dataset<Row> players(SparkSession spark, String campaign, LocalDate from, LocalDate to) {
        check(campaign, from, to);
        return players(spark.table(CrmTables.CAMPAIGN_EXPOSURES), spark.table(CrmTables.CAMPAIGN_CONVERSIONS),
                campaign, from, to);
    }

    private static void check(String campaign, LocalDate from, LocalDate to) {
        Questions.checkRange(from, to);
        if (campaign == null || campaign.isBlank()) {
            throw new IllegalArgumentException("--campaign is empty");
        }
    }

    private static Column inRange(String campaign, LocalDate from, LocalDate to) {
        List<Object> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            days.add(java.sql.Date.valueOf(d));
        }
        return col("campaign").equalTo(campaign).and(col("day").isin(days.toArray()));
    }

    /** The groups and comparisons of a campaign over a range of days. */
    public record Report(String campaign, LocalDate from, LocalDate to, List<Group> groups,
                         List<Comparison> comparisons, long playersInSeveralGroups) {
        public Report {
            groups = List.copyOf(groups);
            comparisons = List.copyOf(comparisons);
        }

        public Group treated() {
            return groups.get(0);
        }

        /** The sentence of the answer: the headline comparison, the global holdout's, the notes. */
        public String sentence() {
            String range = "from " + from + " to " + to + " (UTC)";
            if (groups.stream().allMatch(g -> g.exposed() == 0)) {
                return "no exposures of campaign " + campaign + " " + range;
            }
            StringBuilder sb = new StringBuilder(campaign).append(", exposures ").append(range).append(": ")
                    .append(TREATED).append(' ').append(rateText(treated()));
            for (Comparison c : comparisons) {
                sb.append("; ").append(c.control().name()).append(' ').append(rateText(c.control()));
                if (c.uplift() != null) {
                    sb.append(": uplift ").append(points(c.uplift())).append(" pp");
                    if (c.low() != null) {
                        sb.append(", 95% CI [").append(points(c.low())).append(", ").append(points(c.high()))
                                .append("] pp (Wald), ")
                                .append(c.significant() ? "excludes 0" : "includes 0: not significant");
                    }
                    if (c.relative() != null) {
                        sb.append(", relative ").append(String.format(Locale.ROOT, "%+.1f%%", 100 * c.relative()));
                    }
                }
                if (c.note() != null) {
                    sb.append(" (").append(c.note()).append(')');
                }
            }
            if (playersInSeveralGroups > 0) {
                sb.append("; ").append(playersInSeveralGroups).append(playersInSeveralGroups == 1 ? " player was" : " players were")
                        .append(" exposed in more than one group (each counts in the group of the first exposure)");
            }
            return sb.toString();
        }

        /** One row per group; a held-out group's row carries its comparison with the treated group. */
        public ResultTable table() {
            List<String> columns = List.of("group", "exposed", "converted", "conversion_pct", "accepted", "accept_pct",
                    "value", "value_per_exposed", "uplift_pp", "ci_low_pp", "ci_high_pp", "relative_uplift_pct",
                    "note");
            List<List<Object>> rows = new ArrayList<>();
            rows.add(row(treated(), null));
            for (Comparison c : comparisons) {
                rows.add(row(c.control(), c));
            }
            return new ResultTable(columns, rows, false);
        }

        private static List<Object> row(Group g, Comparison c) {
            return Arrays.asList(g.name(), g.exposed(), g.converted(), pct(g.rate()), g.accepted(), pct(g.acceptRate()),
                    round(g.value(), 2), round(g.valuePerExposed(), 4), c == null ? null : pct(c.uplift()),
                    c == null ? null : pct(c.low()), c == null ? null : pct(c.high()),
                    c == null ? null : pct(c.relative()), c == null ? null : c.note());
        }

        private static String rateText(Group g) {
            return g.exposed() == 0 ? "none exposed"
                    : String.format(Locale.ROOT, "%.2f%% of %d converted", 100 * g.rate(), g.exposed());
        }

        private static String points(double fraction) {
            return String.format(Locale.ROOT, "%+.2f", 100 * fraction);
        }
    }

    /**
     * Counts the players of each group and compares the treated with every held-out group:
     * holdout first (always, even when empty: its absence is the answer's first note), then
     * holdout_global when anybody is in it, then any other group by name.
     */
    public static Report report(Dataset<Row> players, String campaign, LocalDate from, LocalDate to) {
        Map<String, Group> byName = new TreeMap<>();
        long several = 0;
        for (Row r : players.groupBy("exposure_group").agg(count(lit(1)).as("exposed"),
                count("converted_at").as("converted"), sum("accepted").as("accepted"),
                sum("value").as("value"), sum(when(col("groups").gt(1), 1).otherwise(0)).as("several"))
                .collectAsList()) {
            String name = r.isNullAt(0) ? "(none)" : r.getString(0);
            byName.put(name, new Group(name, r.getLong(1), r.getLong(2), r.getLong(3), r.getDouble(4)));
            several += r.getLong(5);
        }
        Map<String, Group> ordered = new LinkedHashMap<>();
        ordered.put(TREATED, byName.getOrDefault(TREATED, Group.empty(TREATED)));
        ordered.put(HOLDOUT, byName.getOrDefault(HOLDOUT, Group.empty(HOLDOUT)));
        if (byName.containsKey(HOLDOUT_GLOBAL)) {
            ordered.put(HOLDOUT_GLOBAL, byName.get(HOLDOUT_GLOBAL));
        }
        byName.forEach(ordered::putIfAbsent);
        List<Comparison> comparisons = new ArrayList<>();
        Group treated = ordered.get(TREATED);
        for (Group g : ordered.values()) {
            if (g != treated) {
                comparisons.add(UpliftStats.compare(treated, g));
            }
        }
        return new Report(campaign, from, to, new ArrayList<>(ordered.values()), comparisons, several);
    }

    /**
     * Each group's cumulative conversion rate by day: day, exposure_group, exposed (players exposed
     * up to that day), converted (of all the group's players, those converted up to that day),
     * conversion_pct (null while nobody is exposed). Days run from {@code from} to the later of
     * {@code to} and the last conversion.
     */
    public static ResultTable cumulative(Dataset<Row> players, LocalDate from, LocalDate to) {
        Dataset<Row> perDay = players.groupBy(col("exposure_group"), to_date(col("exposed_at")).as("day"))
                .agg(count(lit(1)).as("exposed"), lit(0L).as("converted"))
                .unionByName(players.where(col("converted_at").isNotNull())
                        .groupBy(col("exposure_group"), to_date(col("converted_at")).as("day"))
                        .agg(lit(0L).as("exposed"), count(lit(1)).as("converted")));
        Map<String, TreeMap<LocalDate, long[]>> counts = new TreeMap<>();
        LocalDate last = to;
        for (Row r : perDay.collectAsList()) {
            LocalDate day = r.getDate(1).toLocalDate();
            long[] c = counts.computeIfAbsent(r.getString(0), g -> new TreeMap<>())
                    .computeIfAbsent(day, d -> new long[2]);
            c[0] += r.getLong(2);
            c[1] += r.getLong(3);
            last = day.isAfter(last) ? day : last;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<String, TreeMap<LocalDate, long[]>> g : counts.entrySet()) {
            long exposed = 0;
            long converted = 0;
            for (LocalDate d = from; !d.isAfter(last); d = d.plusDays(1)) {
                long[] c = g.getValue().getOrDefault(d, new long[2]);
                exposed += c[0];
                converted += c[1];
                rows.add(Arrays.asList(d.toString(), g.getKey(), exposed, converted,
                        exposed == 0 ? null : pct((double) converted / exposed)));
            }
        }
        return new ResultTable(List.of("day", "exposure_group", "exposed", "converted", "conversion_pct"), rows, false);
    }

    private static Double pct(Double fraction) {
        return fraction == null ? null : round(100 * fraction, 2);
    }

    private static Double round(Double v, int decimals) {
        if (v == null) {
            return null;
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
