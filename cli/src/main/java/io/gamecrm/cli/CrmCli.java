package io.gamecrm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./crm}: the one command-line entry of the project. */
@Command(name = "crm", mixinStandardHelpOptions = true, version = "crm 0.1.0",
        description = "Real-time CRM triggers for online games: Kafka -> Storm -> Cassandra, with JavaScript handlers.",
        subcommands = {DemoCommand.class, LoadCommand.class, HandlersCommand.class, CampaignCommand.class, QueryCommand.class,
                ServersCommand.class, CrmCli.Gateway.class, CrmCli.Analytics.class, CrmCli.Bench.class,
                CommandLine.HelpCommand.class})
public final class CrmCli {
    /** Listed for help only: ./crm runs "gateway" with the gateway module's classpath (gateway/server). */
    @Command(name = "gateway", description = "The ingest gateway (Dropwizard): ./crm gateway [server|check] [CONFIG.yml], "
            + "default: server gateway/config.yml. Games POST their events to /v1/events; see the README.")
    static final class Gateway implements Runnable {
        @Override
        public void run() {
            System.out.println("run the gateway through ./crm: ./crm gateway [server|check] [gateway/config.yml]");
        }
    }

    /** Listed for help only: ./crm runs "bench" with the bench module's classpath (bench/README.md). */
    @Command(name = "bench", description = "Benchmarks: ./crm bench e2e (end to end against the passthrough ceiling), "
            + "./crm bench jmh (the per-event core), ./crm bench gateway (the ingest gateway against a plain producer), "
            + "./crm bench analytics (Spark: scan, lost-streak, backtest). See bench/README.md and the README's "
            + "Analytics section.")
    static final class Bench implements Runnable {
        @Override
        public void run() {
            System.out.println("run the benchmarks through ./crm: ./crm bench e2e | ./crm bench jmh | ./crm bench gateway"
                    + " | ./crm bench analytics");
        }
    }

    /** Listed for help only: ./crm runs "analytics" with the analytics module's (Spark's) classpath. */
    @Command(name = "analytics", description = "Spark over the CRM's tables: sql, lost-streak, offers, funnel, top, "
            + "backtest, snapshot, serve. See ./crm analytics --help and the README's Analytics section.")
    static final class Analytics implements Runnable {
        @Override
        public void run() {
            System.out.println("run analytics through ./crm: ./crm analytics --help");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new CrmCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("crm " + cmd.getCommandName() + ": " + e.getMessage()));
            org.slf4j.LoggerFactory.getLogger(CrmCli.class).error("crm {} failed", cmd.getCommandName(), e);
            return 1;
        });
        return cli.execute(args);
    }
}
