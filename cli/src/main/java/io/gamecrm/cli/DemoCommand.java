package io.gamecrm.cli;

import io.gamecrm.Names;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.access.ClusterAccess;
import io.gamecrm.cli.traffic.BobStory;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.cli.traffic.OfferResponse;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job, live: local Kafka and Cassandra, the topology in a LocalCluster (the production
 * Flux file with flux/local.properties), the ingest gateway (a child JVM), game traffic posted
 * through it with Bob's story, and what fires, as it fires. Ctrl-C stops everything it started.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Live demo: starts local Kafka and Cassandra, runs the topology and the ingest gateway, posts game "
                + "traffic with Bob's story inside through the gateway and shows the triggers as they fire. "
                + "Ctrl-C stops everything.",
                "Edit a file in the handlers folder while it runs: the change takes effect without a restart."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--rate", description = "Background events per second (default: ${DEFAULT-VALUE}).", defaultValue = "200")
    double rate;

    @Option(names = "--players", description = "Players in the background traffic (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int players;

    @Option(names = "--seed", description = "Seed of the traffic (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--invalid-share", description = "Share of invalid records, 0..1 (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.005")
    double invalidShare;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 90s (default: run until Ctrl-C).")
    Duration duration;

    @Option(names = "--handlers-dir", description = "Handler files (default: handlers-js/ of the repository).")
    Path handlersDir;

    @Option(names = "--story-player", description = "Player id of Bob's story (default: bob-<time>, a new Bob "
            + "each run: the campaign allows one offer per player per day).")
    String storyPlayer;

    @Option(names = "--gateway-port", defaultValue = "0", description = "HTTP port of the gateway; its admin port is the "
            + "next one (default: " + GatewayProcess.PREFERRED_PORT + " when free, else any free port).")
    int gatewayPort;

    @picocli.CommandLine.Mixin
    ResponseOptions response;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (rate < 0 || players < 1 || invalidShare < 0 || invalidShare > 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--rate must be >= 0, --players >= 1 and --invalid-share within 0..1");
        }
        response.check(new picocli.CommandLine(this));
        Terminal t = Terminal.system();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalStack stack = null;
        LocalFluxTopology topology = null;
        TrafficPump pump = null;
        GatewayProcess gateway = null;
        LiveView view = null;
        try {
            Path handlers = handlersDir != null ? handlersDir : Repo.handlers();
            t.line(t.bold("1/5 Local servers") + " - Kafka (KRaft) and Cassandra as child JVMs; a first start takes ~10 s");
            // this command stops traffic, topology and then servers, in that order, also on Ctrl-C (its
            // hook waits for the finally block below); the stack's own hook would stop the servers at once
            stack = LocalSetup.servers(msg -> t.line("    " + msg)).stopWithOwner();
            if (stopping.get()) {
                return 130;
            }
            Properties flux = LocalSetup.fluxProperties(stack, handlers);
            OfferResponse answers = response.resolve(handlers, flux, msg -> t.line("    " + msg));
            if (storyPlayer == null) {
                storyPlayer = treatedBob("bob-" + java.time.LocalTime.now().format(
                        java.time.format.DateTimeFormatter.ofPattern("HHmmss")), answers);
            }
            ClusterAccess.check(flux);
            LocalSetup.createTopics(flux, 4);
            Properties kafkaClient = ClusterAccess.kafkaClient(flux);
            view = new LiveView(t, kafkaClient, flux.getProperty(Names.Props.TOPIC_TRIGGER),
                    flux.getProperty(Names.Props.TOPIC_DEAD_LETTER), flux.getProperty(Names.Props.TOPIC_MAINTENANCE),
                    storyPlayer).start();

            t.line(t.bold("2/5 Topology") + " - flux/crm-topology.yaml with flux/local.properties in a Storm LocalCluster,"
                    + " handlers from " + handlers);
            topology = LocalFluxTopology.start(Repo.flux("crm-topology.yaml"), flux, Map.of());
            int crmTasks = Integer.parseInt(flux.getProperty("crm.crm.parallelism"));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (view.tasksStarted() < crmTasks && !stopping.get() && System.nanoTime() < waitUntil) {
                t.status("    waiting for the CRM tasks to load their handlers (" + view.tasksStarted() + "/" + crmTasks
                        + ")", 5000);
                Thread.sleep(200);
            }
            t.endStatus();
            if (view.tasksStarted() < crmTasks && !stopping.get()) {
                t.line(t.red("    the CRM tasks did not report within 90 s; see the log (target/crm/crm.log)"));
                return 1;
            }

            Path gatewayLog = Path.of(System.getProperty("crm.log.file",
                    Repo.root().resolve("target/crm/crm.log").toString())).resolveSibling("gateway.log");
            t.line(t.bold("3/5 Gateway") + " - the ingest gateway (Dropwizard, gateway/config.yml) as a child JVM; games"
                    + " post their events to it, it puts them on the raw topic keyed by player_id");
            gateway = GatewayProcess.start(kafkaClient, flux.getProperty(Names.Props.TOPIC_RAW), GameTraffic.GAME,
                    gatewayPort, gatewayLog, java.util.List.of());
            t.line("    " + gateway.uri() + "/v1/events  (X-Api-Key: " + gateway.apiKey() + ")  metrics and health: "
                    + gateway.adminUri() + "/metrics, /healthcheck  log: " + gatewayLog);
            if (stopping.get()) {
                return 130;
            }

            t.line(t.bold("4/5 Traffic") + String.format(" - %.0f events/s from %d players (seed %d) posted through the"
                    + " gateway, and Bob's story: he logs in, wins twice, then loses three fights in a row", rate, players,
                    seed));
            if (answers != null) {
                t.line(String.format("    players answer %s: %.0f%% of those who get it buy within %s, %.0f%% of the held-out"
                        + " (holdout %s, global %s): a true uplift of %+.0f pp", answers.campaign(),
                        answers.treatedRate() * 100, answers.maxDelay(), answers.heldOutRate() * 100, answers.holdout(),
                        answers.globalHoldout(), answers.trueUplift() * 100));
            }
            GameTraffic traffic = new GameTraffic(seed, players, invalidShare, answers);
            pump = new TrafficPump(gateway.uri(), gateway.apiKey(), traffic, rate).start();

            t.line(t.bold("5/5 Live") + " - offers as they fire (" + storyPlayer + "'s in green); Ctrl-C to stop");
            runLive(t, pump, view, traffic);
            return 0;
        } finally {
            t.endStatus();
            if (pump != null || topology != null) {
                t.line("Stopping: traffic, " + (gateway != null ? "gateway, " : "") + "topology"
                        + (stack != null && stack.owned() ? ", servers" : "") + " ...");
            }
            closeQuietly(pump);
            closeQuietly(gateway);
            closeQuietly(topology);
            closeQuietly(view);
            if (stack != null) {
                stack.close();
            }
            if (view != null) {
                t.line("Stopped. " + view.triggersByCampaign() + " offers, " + view.deadLetters() + " dead letters.");
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook is waiting for us
            }
        }
    }

    private void runLive(Terminal t, TrafficPump pump, LiveView view, GameTraffic traffic) throws InterruptedException {
        long start = System.nanoTime();
        long storyStart = start + TimeUnit.SECONDS.toNanos(3);
        long stepEvery = TimeUnit.MILLISECONDS.toNanos(700);
        int storyStep = 0;
        long lastSent = 0;
        long lastTick = start;
        double inRate = 0;
        while (!stopping.get() && (duration == null || System.nanoTime() - start < duration.toNanos())) {
            long now = System.nanoTime();
            if (storyStep < BobStory.STEPS.size() && now >= storyStart + storyStep * stepEvery) {
                BobStory.Step step = BobStory.STEPS.get(storyStep++);
                pump.send(BobStory.json(step, storyPlayer, Instant.now(), traffic::nextEventId));
                t.line(t.dim(String.format("             %s", step.description().replace("Bob", storyPlayer))));
            }
            if (now - lastTick >= TimeUnit.MILLISECONDS.toNanos(1000)) {
                long sent = pump.sent();
                inRate = (sent - lastSent) * 1e9 / (now - lastTick);
                lastSent = sent;
                lastTick = now;
            }
            long[] lat = view.latencyP50P99();
            long secs = TimeUnit.NANOSECONDS.toSeconds(now - start);
            t.status(String.format("%02d:%02d  in %,.0f/s  sent %,d  gateway rejected %,d  invalid %,d  offers %s  suppressed %s"
                    + "  handler errors %,d  latency %s", secs / 60, secs % 60, inRate, pump.sent(), pump.rejected(),
                    view.deadLetters(),
                    view.triggersByCampaign(), view.suppressed(), view.handlerErrors(),
                    lat == null ? "-" : "p50 " + lat[0] + " ms, p99 " + lat[1] + " ms"), 5000);
            Thread.sleep(100);
        }
    }

    /**
     * Bob's story ends with his offer: the default Bob is one the campaign's holdouts do not hold out
     * ({@link Holdout#group}, as the topology decides), the first of bob-HHmmss, bob-HHmmss-2, ...
     */
    static String treatedBob(String base, OfferResponse answers) {
        if (answers == null) {
            return base;
        }
        String bob = base;
        for (int i = 2; Holdout.group(GameTraffic.GAME, answers.campaign(), bob, answers.holdout(),
                answers.globalHoldout()) != Exposure.Group.TREATED; i++) {
            bob = base + "-" + i;
        }
        return bob;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(DemoCommand.class).warn("while stopping: {}", e.toString());
        }
    }
}
