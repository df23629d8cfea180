package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.Names;
import io.gamecrm.RepoPaths;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked: every file it
 * mounts exists (or is what the build produces), every service it depends on exists, host ports
 * are unique, the submit command names a Flux file and properties file of flux/, and those
 * properties point at the compose services, at the mounted handlers folder and at the topics the
 * init service creates; the gateway writes the raw topic of those properties, and the sample game
 * posts to the gateway (gateway/server's GatewayConfigurationTest loads config.yml with the
 * gateway service's environment).
 */
class DockerComposeTest {
    private static final Path ROOT = RepoPaths.root();
    private static final Map<String, Object> COMPOSE = load();
    private static final Properties DOCKER = properties("flux/docker.properties");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            return (Map<String, Object>) new Yaml().load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties properties(String file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve(file))) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) COMPOSE.get("services");
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> service, String key) {
        Object v = service.get(key);
        return v == null ? List.of() : (List<String>) v;
    }

    /** host path -> container path of a service's bind mounts. */
    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : list(service, "volumes")) {
            String[] parts = v.split(":");
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    @Test
    void theClusterHasEveryServiceTheIssueAsksFor() {
        assertThat(services()).containsKeys("zookeeper", "kafka", "cassandra", "kafka-init", "cassandra-init", "nimbus",
                "supervisor", "ui", "submit", "gateway", "producer");
        services().forEach((name, s) -> assertThat(s.get("image")).as(name + " uses an image").isNotNull());
    }

    @Test
    void everyMountedFileExistsOrIsTheShadedJarTheBuildMakes() throws IOException {
        String topologyPom = Files.readString(ROOT.resolve("topology/pom.xml"));
        String gatewayPom = Files.readString(ROOT.resolve("gateway/server/pom.xml"));
        services().forEach((name, s) -> mounts(s).keySet().forEach(host -> {
            assertThat(host).as(name + ": mounts are relative to the repository").startsWith("./");
            if (host.equals("./topology/target/crm-topology.jar")) {
                assertThat(topologyPom).contains("<outputFile>${project.build.directory}/crm-topology.jar</outputFile>");
            } else if (host.equals("./gateway/server/target/crm-gateway.jar")) {
                assertThat(gatewayPom).contains("<outputFile>${project.build.directory}/crm-gateway.jar</outputFile>");
            } else {
                assertThat(ROOT.resolve(host)).as(name + " mounts " + host).exists();
            }
        }));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDependencyIsAServiceAndEveryHostPortIsUsedOnce() {
        Set<String> ports = new HashSet<>();
        services().forEach((name, s) -> {
            Object deps = s.get("depends_on");
            if (deps instanceof Map<?, ?> m) {
                assertThat(services()).as(name + " depends on").containsKeys(((Map<String, Object>) m).keySet().toArray(new String[0]));
            }
            for (String p : list(s, "ports")) {
                assertThat(ports.add(p.split(":")[0])).as("host port " + p + " of " + name + " is used once").isTrue();
            }
        });
    }

    @Test
    void theSubmitServiceRunsFluxRemoteWithAFluxFileAndPropertiesOfTheRepository() {
        Map<String, Object> submit = services().get("submit");
        String command = String.valueOf(submit.get("command")).replaceAll("\\s+", " ").trim();
        assertThat(command).startsWith("storm jar /topology/crm-topology.jar org.apache.storm.flux.Flux --remote");
        Matcher m = Pattern.compile("--remote (\\S+) --filter (\\S+)").matcher(command);
        assertThat(m.find()).isTrue();
        Map<String, String> mounts = mounts(submit);
        assertThat(mounts).containsEntry("./flux", "/flux").containsEntry("./topology/target/crm-topology.jar",
                "/topology/crm-topology.jar");
        assertThat(ROOT.resolve(m.group(1).replace("/flux/", "flux/"))).exists();
        assertThat(ROOT.resolve(m.group(2).replace("/flux/", "flux/"))).exists();
        assertThat(m.group(2)).isEqualTo("/flux/docker.properties");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePropertiesPointAtTheComposeServices() {
        Map<String, Object> kafkaEnv = (Map<String, Object>) services().get("kafka").get("environment");
        String advertised = String.valueOf(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"));
        assertThat(advertised).contains("INTERNAL://" + DOCKER.getProperty(Names.Props.KAFKA_BOOTSTRAP));
        assertThat(kafkaEnv.get("KAFKA_INTER_BROKER_LISTENER_NAME")).isEqualTo("INTERNAL");
        assertThat(advertised).contains("HOST://localhost:29092");
        assertThat(list(services().get("kafka"), "ports")).contains("29092:29092");

        String cassandra = DOCKER.getProperty(Names.Props.CASSANDRA_CONTACT_POINTS);
        assertThat(services()).containsKey(cassandra.split(":")[0]);
        assertThat(cassandra).endsWith(":9042");
    }

    @Test
    void theWorkersSeeTheHandlersFolderWhereTheTopologyWatchesIt() {
        String dir = DOCKER.getProperty(Names.Props.HANDLERS_DIR);
        for (String storm : List.of("nimbus", "supervisor")) {
            assertThat(mounts(services().get(storm))).as(storm).containsEntry("./handlers-js", dir);
        }
    }

    @Test
    void theInitServicesCreateTheTopicsAndKeyspaceThePropertiesName() throws IOException {
        String topics = Files.readString(ROOT.resolve("docker/create-topics.sh"));
        List<String> names = new ArrayList<>();
        for (String key : List.of(Names.Props.TOPIC_RAW, Names.Props.TOPIC_TRIGGER, Names.Props.TOPIC_DEAD_LETTER,
                Names.Props.TOPIC_MAINTENANCE, Names.Props.TOPIC_HANDLERS)) {
            names.add(DOCKER.getProperty(key));
        }
        for (String topic : names) {
            assertThat(topics).as("create-topics.sh creates " + topic).containsPattern("create " + Pattern.quote(topic) + " \\d+");
        }
        assertThat(topics).containsPattern("create " + Pattern.quote(DOCKER.getProperty(Names.Props.TOPIC_HANDLERS))
                + " 1 --config cleanup.policy=compact");
        String schema = Files.readString(ROOT.resolve("docker/apply-schema.sh"));
        assertThat(schema).contains("KEYSPACE=" + DOCKER.getProperty(Names.Props.CASSANDRA_KEYSPACE));
        assertThat(mounts(services().get("cassandra-init"))).containsEntry("./schemas/cql/crm.cql", "/schema/crm.cql");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGameSendsOnlyToTheGatewayWhichWritesTheRawTopicOfTheProperties() {
        Map<String, Object> gateway = services().get("gateway");
        Map<String, Object> env = (Map<String, Object>) gateway.get("environment");
        assertThat(env.get("CRM_KAFKA_BOOTSTRAP")).isEqualTo(DOCKER.getProperty(Names.Props.KAFKA_BOOTSTRAP));
        assertThat(env.get("CRM_TOPIC_RAW")).isEqualTo(DOCKER.getProperty(Names.Props.TOPIC_RAW));
        assertThat(mounts(gateway)).containsEntry("./gateway/config.yml", "/gateway/config.yml");
        assertThat(String.valueOf(gateway.get("command"))).contains("/gateway/crm-gateway.jar, server, /gateway/config.yml");
        String port = String.valueOf(env.get("CRM_GATEWAY_PORT"));
        assertThat(list(gateway, "ports")).anySatisfy(p -> assertThat(p).endsWith(":" + port));
        assertThat(((Map<String, Object>) gateway.get("depends_on"))).containsKey("kafka-init");

        Map<String, Object> game = services().get("producer");
        String entry = String.valueOf(game.get("entrypoint"));
        assertThat(entry).contains("http://gateway:" + port + "/v1/events").contains("X-Api-Key")
                .doesNotContain("kafka-console-producer");
        assertThat(((Map<String, Object>) game.get("environment")).get("CRM_GATEWAY_KEY_TANK_WARS"))
                .isEqualTo(env.get("CRM_GATEWAY_KEY_TANK_WARS"));
        assertThat(((Map<String, Object>) game.get("depends_on"))).containsKey("gateway");
    }

    @Test
    void stormFindsZooKeeperAndNimbusByTheirServiceNames() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> conf = (Map<String, Object>) new Yaml().load(Files.readString(ROOT.resolve("docker/storm.yaml")));
        assertThat(conf.get("storm.zookeeper.servers")).isEqualTo(List.of("zookeeper"));
        assertThat(conf.get("nimbus.seeds")).isEqualTo(List.of("nimbus"));
        assertThat(services()).containsKeys("zookeeper", "nimbus");
    }
}
