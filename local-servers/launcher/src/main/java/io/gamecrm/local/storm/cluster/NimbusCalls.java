package io.gamecrm.local.storm.cluster;

import io.gamecrm.local.LocalStackException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/** Calls to the Nimbus of a {@link StormCluster}, each through a fresh {@link NimbusClient}. Thread-safe. */
final class NimbusCalls {

    private static final int NIMBUS_CALL_TIMEOUT_MILLIS = 10_000;

    private final StormClusterConfig cfg;
    private final Map<String, Object> clientConf;

    NimbusCalls(StormClusterConfig cfg) {
        this.cfg = cfg;
        this.clientConf = clientConf(cfg);
    }

    /** A Storm client configuration for the cluster (e.g. for {@code NimbusClient}); a copy. */
    Map<String, Object> clientConfig() {
        return new HashMap<>(clientConf);
    }

    /**
     * Calls Nimbus through a fresh {@link NimbusClient}.
     *
     * @throws LocalStackException wrapping whatever the call throws (a {@link LocalStackException} thrown by
     *                             {@code call} passes as is)
     */
    <T> T call(StormCluster.NimbusCall<T> call) {
        try (NimbusClient client = NimbusClient.Builder.withConf(clientConf).withTimeout(NIMBUS_CALL_TIMEOUT_MILLIS)
                .buildWithNimbusHostPort(StormClusterConfig.HOST, cfg.ports().nimbus())) {
            return call.call(client.getClient());
        } catch (LocalStackException e) {
            throw e;
        } catch (Exception e) {
            throw new NimbusCallException("Nimbus call failed (127.0.0.1:" + cfg.ports().nimbus() + "): " + e, e);
        }
    }

    static Map<String, Object> clientConf(StormClusterConfig cfg) {
        Map<String, Object> conf = new HashMap<>(Utils.readDefaultConfig());
        conf.put(Config.NIMBUS_SEEDS, List.of(StormClusterConfig.HOST));
        conf.put(Config.NIMBUS_THRIFT_PORT, cfg.ports().nimbus());
        conf.put(Config.STORM_ZOOKEEPER_SERVERS, List.of(StormClusterConfig.HOST));
        conf.put(Config.STORM_ZOOKEEPER_PORT, cfg.ports().zookeeper());
        // fail fast: callers poll, and the default retries a refused connection for many seconds
        conf.put(Config.STORM_NIMBUS_RETRY_TIMES, 0);
        return conf;
    }

    /** A call to Nimbus failed (connection refused, timeout, Thrift error). */
    static final class NimbusCallException extends LocalStackException {
        private static final long serialVersionUID = 1L;

        NimbusCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
