package io.gamecrm.cli;

import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import io.gamecrm.local.ServerStatus;
import io.gamecrm.local.StackConfig;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code crm servers start|stop|status}: the local Kafka and Cassandra, outliving the command. */
@Command(name = "servers", description = "Start, stop or show the local Kafka broker and Cassandra node.",
        mixinStandardHelpOptions = true,
        subcommands = {ServersCommand.Start.class, ServersCommand.Stop.class, ServersCommand.Status.class})
public final class ServersCommand {

    @Command(name = "start", description = "Start (or reuse) the local servers and leave them running.")
    static final class Start implements Callable<Integer> {
        @Override
        public Integer call() {
            Terminal t = Terminal.system();
            LocalStack stack = LocalStack.ensureRunning(StackConfig.fromSystemProperties(),
                    EnumSet.of(Server.KAFKA, Server.CASSANDRA), true, t::line);
            t.line("Kafka:     " + stack.kafkaBootstrap());
            t.line("Cassandra: " + stack.cassandraContactPoint().getHostString() + ":"
                    + stack.cassandraContactPoint().getPort() + " (datacenter " + stack.cassandraDatacenter() + ")");
            t.line("Logs:      " + stack.logDir());
            t.line("Stop them with: ./crm servers stop");
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop the local servers started by 'crm servers start'.")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            Terminal t = Terminal.system();
            LocalStack.stopFromStateFile(StackConfig.fromSystemProperties(), t::line);
            return 0;
        }
    }

    @Command(name = "status", description = "Show whether the local servers run.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            boolean allUp = true;
            for (ServerStatus s : LocalStack.status(StackConfig.fromSystemProperties())) {
                System.out.printf("%-10s %-8s %s%s%n", s.server(), s.running() ? "running" : "stopped", s.address(),
                        s.pid().isPresent() ? " (pid " + s.pid().getAsLong() + ")" : "");
                allUp &= s.running();
            }
            return allUp ? 0 : 1;
        }
    }
}
