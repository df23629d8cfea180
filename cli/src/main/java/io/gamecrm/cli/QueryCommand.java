package io.gamecrm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.Names;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crm query …}: questions answered from Cassandra. */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Ask the profile store.",
        subcommands = {QueryCommand.Why.class})
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
}
