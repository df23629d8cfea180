package io.gamecrm.local.storm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.flux.FluxBuilder;
import org.apache.storm.flux.model.ExecutionContext;
import org.apache.storm.flux.model.TopologyDef;
import org.apache.storm.flux.parser.FluxParser;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.StormTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Flux file in an in-process {@link LocalCluster}, the way {@code storm jar … Flux --local}
 * did before Storm 2 ignored {@code --local}: parse with properties (as {@code --filter} would),
 * build the config and the topology with {@link FluxBuilder}, submit. Used by the integration tests
 * and by {@code ./crm demo}, so both run the production Flux file.
 */
public final class LocalFluxTopology implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFluxTopology.class);

    private final LocalCluster cluster;
    private final String name;
    private boolean closed;

    private LocalFluxTopology(LocalCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
    }

    /** Parses and builds a Flux file with these properties substituted for its ${...} values. */
    public static Built build(Path fluxFile, Properties properties) throws Exception {
        if (!Files.isRegularFile(fluxFile)) {
            throw new IllegalArgumentException("no Flux file at " + fluxFile.toAbsolutePath());
        }
        TopologyDef def = FluxParser.parseFile(fluxFile.toString(), false, true, properties, false);
        Config conf = FluxBuilder.buildConfig(def);
        StormTopology topology = FluxBuilder.buildTopology(new ExecutionContext(def, conf));
        return new Built(def.getName(), conf, topology);
    }

    /** A parsed and built Flux topology. */
    public record Built(String name, Config config, StormTopology topology) {
    }

    /**
     * Starts a LocalCluster and submits the Flux topology to it.
     *
     * @param extraConfig Storm config entries added on top of the Flux file's (e.g. metrics reporters)
     */
    public static LocalFluxTopology start(Path fluxFile, Properties properties, Map<String, Object> extraConfig)
            throws Exception {
        Built built = build(fluxFile, properties);
        built.config().putAll(extraConfig);
        long t0 = System.nanoTime();
        LocalCluster cluster = new LocalCluster();
        try {
            cluster.submitTopology(built.name(), built.config(), built.topology());
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        LOG.info("topology {} submitted to a LocalCluster in {} ms", built.name(), (System.nanoTime() - t0) / 1_000_000);
        return new LocalFluxTopology(cluster, built.name());
    }

    public String name() {
        return name;
    }

    public LocalCluster cluster() {
        return cluster;
    }

    /** Kills the topology (bolts' cleanup runs) and shuts the LocalCluster down. */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            KillOptions opts = new KillOptions();
            opts.set_wait_secs(0);
            cluster.killTopologyWithOpts(name, opts);
        } catch (Exception e) {
            LOG.warn("could not kill topology {}: {}", name, e.toString());
        }
        cluster.close();
    }
}
