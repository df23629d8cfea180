package io.gamecrm.it;

import static org.awaitility.Awaitility.await;

import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * flux/crm-topology.yaml running on the local servers with a copy of the shipped handlers, the
 * trigger and maintenance topics tailed, and background traffic: what the hot-reload ITs share.
 */
final class LiveTopology implements AutoCloseable {
    final ItEnv.Run run;
    final Path handlers;
    final TopicTail triggers;
    final TopicTail maintenance;
    final KafkaProducer<String, byte[]> producer;
    private final LocalFluxTopology topology;
    private final int crmTasks;
    private final AtomicBoolean flowing = new AtomicBoolean(true);
    private Thread background;

    private LiveTopology(ItEnv.Run run, Path handlers, TopicTail triggers, TopicTail maintenance,
                         KafkaProducer<String, byte[]> producer, LocalFluxTopology topology, int crmTasks) {
        this.run = run;
        this.handlers = handlers;
        this.triggers = triggers;
        this.maintenance = maintenance;
        this.producer = producer;
        this.topology = topology;
        this.crmTasks = crmTasks;
    }

    /** Starts the topology and waits until every CRM task runs the first handler set. */
    static LiveTopology start(String name, Path temp, Duration timeout) throws Exception {
        ItEnv.stack();
        ItEnv.Run run = ItEnv.Run.create(name);
        ItEnv.createTopics(run, 2);
        Path handlers = ItEnv.copyOfShippedHandlers(temp.resolve("handlers"));
        Properties props = ItEnv.fluxProperties(run, handlers);
        LiveTopology live = new LiveTopology(run, handlers,
                new TopicTail(ItEnv.stack().kafkaBootstrap(), run.trigger()),
                new TopicTail(ItEnv.stack().kafkaBootstrap(), run.maintenance()), ItEnv.producer(),
                LocalFluxTopology.start(RepoPaths.flux().resolve("crm-topology.yaml"), props, Map.of()),
                Integer.parseInt(props.getProperty("crm.crm.parallelism")));
        await().atMost(timeout).until(() -> live.manifestOnAllTasks() >= 1);
        return live;
    }

    /**
     * Sends background traffic until closed: event(i) gives the key and value of the i-th event, one
     * every pauseMillis.
     */
    void background(IntFunction<String[]> event, long pauseMillis) {
        background = new Thread(() -> {
            int i = 0;
            while (flowing.get()) {
                try {
                    String[] kv = event.apply(i++);
                    ItEnv.send(producer, run.raw(), kv[0], kv[1]);
                    Thread.sleep(pauseMillis);
                } catch (Exception e) {
                    return;
                }
            }
        }, "background-traffic");
        background.start();
    }

    List<Map<String, Object>> maintenanceOf(String type) {
        return maintenance.matching(v -> v.contains("\"type\":\"" + type + "\"")).stream()
                .map(r -> Json.readObject(r.value())).toList();
    }

    /** The highest manifest sequence every CRM task reports as loaded (-1 until every task reported one). */
    @SuppressWarnings("unchecked")
    long manifestOnAllTasks() {
        Map<Object, Long> perTask = new HashMap<>();
        for (Map<String, Object> m : maintenanceOf("handlers.loaded")) {
            long seq = ((Number) ((Map<String, Object>) m.get("details")).get("manifest_seq")).longValue();
            perTask.merge(m.get("task"), seq, Math::max);
        }
        return perTask.size() < crmTasks ? -1 : perTask.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    @Override
    public void close() throws Exception {
        flowing.set(false);
        if (background != null) {
            background.join(5000);
        }
        topology.close();
        triggers.close();
        maintenance.close();
        producer.close();
    }
}
