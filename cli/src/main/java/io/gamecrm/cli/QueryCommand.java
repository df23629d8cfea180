package io.gamecrm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.Names;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crm query …}: questions answered from Cassandra, and a campaign's live counters from the maintenance topic. */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Ask the profile store.",
        subcommands = {QueryCommand.Why.class, QueryCommand.LostStreak.class, QueryCommand.Metric.class,
            QueryCommand.Campaign.class})
public final class QueryCommand {

    @Command(name = "why", mixinStandardHelpOptions = true,
            description = "Why did, or didn't, a player get an offer: the audit trail of campaign decisions, newest first.")
    static final class Why implements Callable<Integer> {
        @Parameters(paramLabel = "PLAYER")
        String player;

        @Option(names = "--campaign", description = "Only this campaign.")
        String campaign;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many decisions (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        Endpoints endpoints;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
            }
            String ks = endpoints.get(Names.Props.CASSANDRA_KEYSPACE);
            try (CqlSession cql = endpoints.cql()) {
                Row profile = cql.execute("SELECT profile, version, campaigns FROM " + ks
                        + ".player_profile WHERE player_id = ?", player).one();
                if (profile == null) {
                    System.out.println(player + ": no profile (no event of this player was applied)");
                } else {
                    System.out.println(player + ": profile " + profile.getString(0) + " (version " + profile.getLong(1)
                            + "), offers so far " + profile.getString(2));
                }
                List<Row> rows = cql.execute("SELECT decided_at, campaign, handler, handler_version, outcome, reason, "
                        + "trigger_id, cause_event_type, cause_event_id, params FROM " + ks
                        + ".campaign_decisions WHERE player_id = ? LIMIT ?", player, campaign == null ? limit : 10_000).all();
                int shown = 0;
                for (Row r : rows) {
                    if (campaign != null && !campaign.equals(r.getString(1))) {
                        continue;
                    }
                    if (shown++ >= limit) {
                        break;
                    }
                    long ms = (r.getUuid(0).timestamp() - 0x01B21DD213814000L) / 10_000;
                    System.out.printf("%s  %-16s %-22s %s%s%n", java.time.Instant.ofEpochMilli(ms),
                            r.getString(4), r.getString(1) == null ? "(handler " + r.getString(2) + ")" : r.getString(1),
                            r.getString(5) == null ? "" : r.getString(5) + "  ",
                            "cause " + r.getString(7) + " " + r.getString(8) + ", handler " + r.getString(2) + "@"
                                    + r.getString(3) + (r.getString(6) == null ? "" : ", trigger " + r.getString(6)));
                }
                if (shown == 0) {
                    System.out.println("no campaign decision recorded for " + player
                            + (campaign == null ? "" : " and " + campaign)
                            + ": no campaign handler asked for an offer (check the profile against the handler's rule)");
                }
            }
            return 0;
        }
    }

    /** Shared by the metric questions: how many players reached a value of a tracked metric on a day. */
    abstract static class MetricQuery implements Callable<Integer> {
        @Option(names = "--min", required = true, paramLabel = "N", description = "The value reached at least.")
        int min;

        @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "The UTC day (default: today).")
        String day;

        @Option(names = "--list", description = "Also list the players (at most 1000).")
        boolean list;

        @Mixin
        Endpoints endpoints;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String metric();

        abstract String sentence(long count, int min, java.time.LocalDate day);

        @Override
        public Integer call() {
            java.time.LocalDate date;
            try {
                date = day == null ? java.time.LocalDate.now(java.time.ZoneOffset.UTC) : java.time.LocalDate.parse(day);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--day must be a date like 2026-11-26, got '" + day + "'");
            }
            java.util.Properties props = endpoints.load();
            java.util.List<String> tracked = java.util.Arrays.stream(
                    props.getProperty("crm.analytics.metrics", "").split("\\s*,\\s*")).filter(x -> !x.isBlank()).toList();
            int cap = Integer.parseInt(props.getProperty("crm.analytics.cap", "20"));
            if (!tracked.contains(metric())) {
                throw new CommandLine.ParameterException(spec.commandLine(), "'" + metric()
                        + "' is not a tracked metric (crm.analytics.metrics = " + tracked + ")");
            }
            if (min < 1 || min > cap) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--min must be within 1.." + cap + " (crm.analytics.cap), got " + min);
            }
            String ks = endpoints.get(Names.Props.CASSANDRA_KEYSPACE);
            try (CqlSession cql = endpoints.cql()) {
                long count = cql.execute("SELECT COUNT(*) FROM " + ks + ".daily_metric_players WHERE day = ? AND metric = ?"
                        + " AND reached = ?", date, metric(), min).one().getLong(0);
                System.out.println(sentence(count, min, date));
                if (list && count > 0) {
                    for (Row r : cql.execute("SELECT player_id, at FROM " + ks + ".daily_metric_players WHERE day = ? "
                            + "AND metric = ? AND reached = ? LIMIT 1000", date, metric(), min)) {
                        System.out.println("  " + r.getString(0) + "  (reached it at " + r.getInstant(1) + ")");
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "lost-streak", mixinStandardHelpOptions = true,
            description = "How many players lost at least N fights in a row during a day (UTC).")
    static final class LostStreak extends MetricQuery {
        @Override
        String metric() {
            return "lost_streak";
        }

        @Override
        String sentence(long count, int min, java.time.LocalDate day) {
            return count + (count == 1 ? " player" : " players") + " lost at least " + min + " fights in a row on " + day
                    + " (UTC)";
        }
    }

    @Command(name = "metric", mixinStandardHelpOptions = true,
            description = "How many players reached at least N of a tracked profile metric during a day (UTC).")
    static final class Metric extends MetricQuery {
        @Parameters(paramLabel = "METRIC", description = "A profile key listed in crm.analytics.metrics.")
        String name;

        @Override
        String metric() {
            return name;
        }

        @Override
        String sentence(long count, int min, java.time.LocalDate day) {
            return count + (count == 1 ? " player" : " players") + " reached " + name + " >= " + min + " on " + day
                    + " (UTC)";
        }
    }

    @Command(name = "campaign", mixinStandardHelpOptions = true,
            description = "A campaign's live counters, without Spark: decisions by outcome, exposures and conversions by"
                    + " group, summed from the CRM tasks' campaign.stats reports on the maintenance topic.")
    static final class Campaign implements Callable<Integer> {
        @Parameters(paramLabel = "CAMPAIGN")
        String campaign;

        @Option(names = "--since", defaultValue = "24h", converter = DurationConverter.class,
                description = "Reports of this last while (default: ${DEFAULT-VALUE}; e.g. 30m, 72h).")
        Duration since;

        @Option(names = "--read", defaultValue = "3s", converter = DurationConverter.class,
                description = "How long to read the topic (default: ${DEFAULT-VALUE}).")
        Duration read;

        @Mixin
        Endpoints endpoints;

        @Override
        public Integer call() {
            String topic = endpoints.get(Names.Props.TOPIC_MAINTENANCE);
            List<Map<String, Object>> events = CampaignCommand.readMaintenance(endpoints.kafkaClient(), topic,
                    System.currentTimeMillis() - since.toMillis(), read);
            CampaignCounters.sum(events, campaign).lines(campaign).forEach(System.out::println);
            return 0;
        }
    }
}
