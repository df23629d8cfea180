package io.gamecrm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./crm}: the one command-line entry of the project. */
@Command(name = "crm", mixinStandardHelpOptions = true, version = "crm 0.1.0",
        description = "Real-time CRM triggers for online games: Kafka -> Storm -> Cassandra, with JavaScript handlers.",
        subcommands = {DemoCommand.class, LoadCommand.class, HandlersCommand.class, CampaignCommand.class, QueryCommand.class,
                ServersCommand.class, CommandLine.HelpCommand.class})
public final class CrmCli {
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
