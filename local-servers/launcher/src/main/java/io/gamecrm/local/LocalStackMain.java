package io.gamecrm.local;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Command line for the local servers: {@code LocalStackMain start|stop|status [kafka] [cassandra]}.
 *
 * <ul>
 *   <li>{@code start}: starts the servers detached (they keep running after this command exits), or reuses
 *       running ones, and prints their addresses.</li>
 *   <li>{@code stop}: stops every server recorded in {@code <base>/stack.properties}.</li>
 *   <li>{@code status}: prints what runs; exit code 0 only if every requested server is running.</li>
 * </ul>
 * Without server names, both are meant. Settings come from system properties (see {@link StackConfig}).
 * Exit codes: 0 success, 1 failure (or not running, for {@code status}), 2 usage error.
 */
public final class LocalStackMain {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: LocalStackMain <start|stop|status> [kafka] [cassandra]",
            "  start   start the servers detached (they keep running) and print their addresses",
            "  stop    stop the servers started from the base dir",
            "  status  show the servers; exit code 0 if all requested servers run, 1 otherwise",
            "settings: -D" + StackConfig.PROP_DIR + "=<dir> (or $" + StackConfig.ENV_DIR + "), -D"
                    + StackConfig.PROP_KAFKA_PORT + "=19092, -D" + StackConfig.PROP_CASSANDRA_PORT
                    + "=19042, ... (see io.gamecrm.local.StackConfig)");

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, null, System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /**
     * Runs a command and returns the exit code.
     *
     * @param cfg the configuration, or null to read it from system properties
     */
    static int run(String[] args, StackConfig cfg, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0].toLowerCase(Locale.ROOT);
        Set<Server> servers;
        try {
            servers = servers(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        StackConfig config = cfg != null ? cfg : StackConfig.fromSystemProperties();
        StackListener progress = out::println;
        try {
            switch (command) {
                case "start":
                    return start(config, servers, progress, out);
                case "stop":
                    LocalStack.stopFromStateFile(config, progress);
                    return 0;
                case "status":
                    return status(config, servers, out);
                default:
                    err.println("error: unknown command '" + args[0] + "'");
                    err.println(USAGE);
                    return 2;
            }
        } catch (LocalStackException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static Set<Server> servers(String[] args) {
        if (args.length == 1) {
            return EnumSet.allOf(Server.class);
        }
        Set<Server> servers = EnumSet.noneOf(Server.class);
        for (int i = 1; i < args.length; i++) {
            servers.add(Server.parse(args[i]));
        }
        return servers;
    }

    private static int start(StackConfig cfg, Set<Server> servers, StackListener progress, PrintStream out) {
        LocalStack stack = LocalStack.ensureRunning(cfg, servers, true, progress);
        out.println();
        if (servers.contains(Server.KAFKA)) {
            out.printf("Kafka      bootstrap.servers=%s  (pid %d)%n", stack.kafkaBootstrap(), stack.pid(Server.KAFKA));
        }
        if (servers.contains(Server.CASSANDRA)) {
            out.printf("Cassandra  contact point %s:%d, local datacenter %s  (pid %d)%n", StackConfig.HOST,
                    stack.cassandraContactPoint().getPort(), stack.cassandraDatacenter(), stack.pid(Server.CASSANDRA));
        }
        out.println("Logs in " + stack.logDir() + "; stop with: crm servers stop");
        return 0;
    }

    private static int status(StackConfig cfg, Set<Server> servers, PrintStream out) {
        boolean allRunning = true;
        for (ServerStatus s : LocalStack.status(cfg)) {
            if (!servers.contains(s.server())) {
                continue;
            }
            allRunning &= s.running();
            out.printf("%-10s %-16s %s%s%n", s.server().displayName(), s.address(), s.detail(),
                    s.running() ? " (pid " + s.pid().getAsLong() + ", since " + s.startedAt().orElseThrow() + ")" : "");
        }
        out.println("Base dir " + cfg.baseDir());
        return allRunning ? 0 : 1;
    }
}
