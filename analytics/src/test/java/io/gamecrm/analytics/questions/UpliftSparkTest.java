package io.gamecrm.analytics.questions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gamecrm.analytics.spark.CrmTables;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The uplift question on Spark local, over rows built here with the columns of the Cassandra tables
 * (registered as the views campaign_exposures and campaign_conversions; no Cassandra):
 * <ul>
 *   <li>players, not exposures, are counted; a player counts in the group of the first exposure;</li>
 *   <li>only the campaign and the days asked for, and a conversion counts with its exposure's day;</li>
 *   <li>the answer's table and sentence, the global holdout on a row of its own;</li>
 *   <li>a campaign without holdout players says so, and its JSON holds no NaN;</li>
 *   <li>the cumulative conversion per group and day, for the picture.</li>
 * </ul>
 */
class UpliftSparkTest {
    static final String CAMPAIGN = "battle-tanks-offer";
    static final LocalDate FROM = LocalDate.parse("2026-11-30");
    static final LocalDate TO = LocalDate.parse("2026-12-01");

    static final StructType EXPOSURES = new StructType()
            .add("campaign", DataTypes.StringType).add("day", DataTypes.DateType)
            .add("player_id", DataTypes.StringType).add("trigger_id", DataTypes.StringType)
            .add("exposure_group", DataTypes.StringType).add("cause_event_id", DataTypes.StringType)
            .add("exposed_at", DataTypes.TimestampType);
    static final StructType CONVERSIONS = new StructType()
            .add("campaign", DataTypes.StringType).add("day", DataTypes.DateType)
            .add("player_id", DataTypes.StringType).add("trigger_id", DataTypes.StringType)
            .add("exposure_group", DataTypes.StringType).add("exposed_at", DataTypes.TimestampType)
            .add("event_id", DataTypes.StringType).add("event_type", DataTypes.StringType)
            .add("converted_at", DataTypes.TimestampType).add("conversion_value", DataTypes.DoubleType)
            .add("attribution", DataTypes.StringType);

    static SparkSession spark;
    static Analyst analyst;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().appName("UpliftSparkTest").master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        analyst = new Analyst(spark);
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Row exposure(String campaign, String day, String player, String trigger, String group, String at) {
        return RowFactory.create(campaign, Date.valueOf(day), player, trigger, group, "cause-" + trigger,
                Timestamp.from(Instant.parse(at)));
    }

    static Row conversion(Row exposure, String at, Double value, String attribution) {
        return RowFactory.create(exposure.get(0), exposure.get(1), exposure.get(2), exposure.get(3), exposure.get(4),
                exposure.get(6), "ev-" + exposure.get(3), attribution.equals("offer_accepted") ? "offer_accepted"
                        : "purchase", Timestamp.from(Instant.parse(at)), value, attribution);
    }

    /**
     * Treated t1 (exposed twice, the second exposure accepted, value 5), t2 (converted the day
     * after the range, value 3), t3, t4; holdout h1 (converted, no value), h2; global holdout g1.
     * Left out: another campaign's player and an exposure of the day before the range.
     */
    static void givenTheStory() {
        List<Row> e = new ArrayList<>();
        List<Row> c = new ArrayList<>();
        Row t1a = exposure(CAMPAIGN, "2026-11-30", "t1", "tr-1a", "treated", "2026-11-30T10:00:00Z");
        Row t1b = exposure(CAMPAIGN, "2026-12-01", "t1", "tr-1b", "treated", "2026-12-01T09:00:00Z");
        Row t2 = exposure(CAMPAIGN, "2026-12-01", "t2", "tr-2", "treated", "2026-12-01T20:00:00Z");
        Row h1 = exposure(CAMPAIGN, "2026-12-01", "h1", "tr-h1", "holdout", "2026-12-01T08:00:00Z");
        Row early = exposure(CAMPAIGN, "2026-11-29", "t5", "tr-5", "treated", "2026-11-29T10:00:00Z");
        Row other = exposure("gem-sale", "2026-12-01", "x1", "tr-x1", "treated", "2026-12-01T10:00:00Z");
        e.addAll(List.of(t1a, t1b, t2, h1, early, other,
                exposure(CAMPAIGN, "2026-12-01", "t3", "tr-3", "treated", "2026-12-01T11:00:00Z"),
                exposure(CAMPAIGN, "2026-12-01", "t4", "tr-4", "treated", "2026-12-01T12:00:00Z"),
                exposure(CAMPAIGN, "2026-12-01", "h2", "tr-h2", "holdout", "2026-12-01T13:00:00Z"),
                exposure(CAMPAIGN, "2026-12-01", "g1", "tr-g1", "holdout_global", "2026-12-01T14:00:00Z")));
        c.addAll(List.of(conversion(t1b, "2026-12-01T09:30:00Z", 5.0, "offer_accepted"),
                conversion(t2, "2026-12-02T01:00:00Z", 3.0, "window"),
                conversion(h1, "2026-12-01T18:00:00Z", null, "window"),
                conversion(early, "2026-11-29T11:00:00Z", 7.0, "window"),
                conversion(other, "2026-12-01T11:00:00Z", 1.0, "trigger_id")));
        register(e, c);
    }

    static void register(List<Row> e, List<Row> c) {
        Dataset<Row> ex = spark.createDataFrame(e, EXPOSURES);
        Dataset<Row> co = spark.createDataFrame(c, CONVERSIONS);
        ex.createOrReplaceTempView(CrmTables.CAMPAIGN_EXPOSURES);
        co.createOrReplaceTempView(CrmTables.CAMPAIGN_CONVERSIONS);
    }

    static List<Object> row(ResultTable t, String group) {
        return t.rows().stream().filter(r -> r.get(0).equals(group)).findFirst().orElseThrow();
    }

    static Object cell(ResultTable t, String group, String column) {
        return row(t, group).get(t.columnIndex(column));
    }

    @Test
    void countsPlayersPerGroupAndComparesTheTreatedWithEachHeldOutGroup() {
        givenTheStory();

        Answer a = analyst.uplift(CAMPAIGN, FROM, TO);
        ResultTable t = a.table();

        assertThat(t.column("group")).containsExactly("treated", "holdout", "holdout_global");
        assertThat(row(t, "treated").subList(0, 8)).containsExactly("treated", 4L, 2L, 50.0, 1L, 25.0, 8.0, 2.0);
        assertThat(row(t, "holdout").subList(0, 8)).containsExactly("holdout", 2L, 1L, 50.0, 0L, 0.0, 0.0, 0.0);
        // 50% of 4 vs 50% of 2: SE = sqrt(0.25/4 + 0.25/2) = 0.433013, 1.96 * SE = 0.848686
        assertThat(cell(t, "holdout", "uplift_pp")).isEqualTo(0.0);
        assertThat((Double) cell(t, "holdout", "ci_low_pp")).isCloseTo(-84.87, within(0.005));
        assertThat((Double) cell(t, "holdout", "ci_high_pp")).isCloseTo(84.87, within(0.005));
        assertThat(cell(t, "holdout", "relative_uplift_pct")).isEqualTo(0.0);
        assertThat((String) cell(t, "holdout", "note")).startsWith("small groups");
        assertThat(row(t, "holdout_global").subList(0, 4)).containsExactly("holdout_global", 1L, 0L, 0.0);
        assertThat(cell(t, "holdout_global", "uplift_pp")).isEqualTo(50.0);
        assertThat(cell(t, "holdout_global", "relative_uplift_pct")).isNull();
        assertThat((String) cell(t, "holdout_global", "note")).contains("no holdout_global player converted");
        assertThat(cell(t, "treated", "note")).isNull();
        assertThat(a.sentence()).startsWith("battle-tanks-offer, exposures from 2026-11-30 to 2026-12-01 (UTC): "
                + "treated 50.00% of 4 converted; holdout 50.00% of 2 converted: uplift +0.00 pp, 95% CI "
                + "[-84.87, +84.87] pp (Wald), includes 0: not significant");
    }

    @Test
    void theDayBeforeTheRangeAndOtherCampaignsAreLeftOut() {
        givenTheStory();

        ResultTable t = analyst.uplift(CAMPAIGN, FROM.minusDays(1), TO).table();
        assertThat(cell(t, "treated", "exposed")).isEqualTo(5L);
        assertThat(cell(t, "treated", "value")).isEqualTo(15.0);
        assertThat(analyst.uplift("gem-sale", FROM, TO).table().rows().get(0).subList(0, 3))
                .containsExactly("treated", 1L, 1L);
    }

    @Test
    void withoutHoldoutPlayersTheAnswerSaysSoAndHoldsNoNaN() {
        register(List.of(exposure("gem-sale", "2026-12-01", "x1", "tr-x1", "treated", "2026-12-01T10:00:00Z")),
                List.of());

        Answer a = analyst.uplift("gem-sale", FROM, TO);

        assertThat(row(a.table(), "holdout").subList(0, 4)).containsExactly("holdout", 0L, 0L, null);
        assertThat(a.sentence()).contains("holdout none exposed (no holdout players in the range, so no uplift "
                + "(does the campaign declare a holdout?))");
        assertThat(Formats.JSON.render(a.table())).doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(analyst.uplift("no-such-campaign", FROM, TO).sentence())
                .isEqualTo("no exposures of campaign no-such-campaign from 2026-11-30 to 2026-12-01 (UTC)");
    }

    @Test
    void aPlayerSeenInTwoGroupsCountsInTheFirst() {
        register(List.of(exposure(CAMPAIGN, "2026-11-30", "p", "tr-a", "holdout", "2026-11-30T10:00:00Z"),
                exposure(CAMPAIGN, "2026-12-01", "p", "tr-b", "treated", "2026-12-01T10:00:00Z")), List.of());

        Answer a = analyst.uplift(CAMPAIGN, FROM, TO);

        assertThat(cell(a.table(), "holdout", "exposed")).isEqualTo(1L);
        assertThat(cell(a.table(), "treated", "exposed")).isEqualTo(0L);
        assertThat(a.sentence()).contains("1 player was exposed in more than one group");
    }

    @Test
    void cumulativeConversionPerGroupAndDayRunsToTheLastConversion() {
        givenTheStory();

        ResultTable t = analyst.upliftOverTime(CAMPAIGN, FROM, TO).table();

        assertThat(t.rows()).containsExactly(
                Arrays.asList("2026-11-30", "holdout", 0L, 0L, null),
                Arrays.asList("2026-12-01", "holdout", 2L, 1L, 50.0),
                Arrays.asList("2026-12-02", "holdout", 2L, 1L, 50.0),
                Arrays.asList("2026-11-30", "holdout_global", 0L, 0L, null),
                Arrays.asList("2026-12-01", "holdout_global", 1L, 0L, 0.0),
                Arrays.asList("2026-12-02", "holdout_global", 1L, 0L, 0.0),
                Arrays.asList("2026-11-30", "treated", 1L, 0L, 0.0),
                Arrays.asList("2026-12-01", "treated", 4L, 1L, 25.0),
                Arrays.asList("2026-12-02", "treated", 4L, 2L, 50.0));
    }

    @Test
    void refusesAnEmptyCampaignOrABackwardRange() {
        assertThatThrownBy(() -> analyst.uplift(" ", FROM, TO)).hasMessageContaining("--campaign");
        assertThatThrownBy(() -> analyst.uplift(CAMPAIGN, TO, FROM)).hasMessageContaining("is after");
    }
}
