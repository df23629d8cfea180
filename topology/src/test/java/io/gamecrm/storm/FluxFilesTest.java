package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.Names;
import io.gamecrm.RepoPaths;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.generated.Grouping;
import org.apache.storm.generated.StormTopology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Flux file parses, builds and validates with every properties file of flux/, and every
 * properties file sets exactly the keys the Flux file uses (Flux has no defaults: a missing key
 * would reach Storm as a literal "${key}").
 */
class FluxFilesTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    static Stream<Arguments> fluxAndProperties() throws IOException {
        List<Path> yamls;
        List<Path> props;
        try (Stream<Path> s = Files.list(RepoPaths.flux())) {
            yamls = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        try (Stream<Path> s = Files.list(RepoPaths.flux())) {
            props = s.filter(p -> p.toString().endsWith(".properties")).sorted().toList();
        }
        assertThat(yamls).isNotEmpty();
        assertThat(props).extracting(p -> p.getFileName().toString()).contains("local.properties", "reference.properties");
        return yamls.stream().flatMap(y -> props.stream().map(p -> Arguments.of(y.getFileName(), p.getFileName())));
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fluxAndProperties")
    void propertiesSetExactlyTheKeysTheFluxFileUses(Path yaml, Path properties) throws IOException {
        Set<String> used = new TreeSet<>();
        for (String line : Files.readAllLines(RepoPaths.flux().resolve(yaml))) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(line);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        Set<String> defined = new TreeSet<>(load(RepoPaths.flux().resolve(properties)).stringPropertyNames());

        assertThat(defined).as("keys of " + properties).isEqualTo(used);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fluxAndProperties")
    void fluxFileBuildsAValidTopologyWithPlayerPartitioning(Path yaml, Path properties) throws Exception {
        LocalFluxTopology.Built built = LocalFluxTopology.build(RepoPaths.flux().resolve(yaml),
                load(RepoPaths.flux().resolve(properties)));
        StormTopology topology = built.topology();

        topology.validate();
        assertThat(topology.get_spouts()).containsOnlyKeys(Names.Components.RAW_SPOUT, Names.Components.HANDLER_WATCHER);
        assertThat(topology.get_bolts()).containsOnlyKeys(Names.Components.VALIDATE, Names.Components.PARTITION,
                Names.Components.CRM, Names.Components.TRIGGER_SINK, Names.Components.DEAD_LETTER_SINK);
        Map<GlobalStreamId, Grouping> crmInputs = topology.get_bolts().get(Names.Components.CRM).get_common().get_inputs();
        assertThat(crmInputs).hasSize(1);
        Map.Entry<GlobalStreamId, Grouping> input = crmInputs.entrySet().iterator().next();
        assertThat(input.getKey().get_componentId()).isEqualTo(Names.Components.PARTITION);
        assertThat(input.getKey().get_streamId()).isEqualTo(Names.Streams.BY_PLAYER);
        assertThat(input.getValue().get_fields()).containsExactly(Names.Fields.PLAYER_ID);
        // order per player: every hop before the CRM bolt groups by player too
        assertThat(topology.get_bolts().get(Names.Components.VALIDATE).get_common().get_inputs().values())
                .singleElement().satisfies(g -> assertThat(g.get_fields()).containsExactly(Names.Fields.KEY));
        assertThat(topology.get_bolts().get(Names.Components.PARTITION).get_common().get_inputs().values())
                .singleElement().satisfies(g -> assertThat(g.get_fields()).containsExactly(Names.Fields.PLAYER_ID));
        assertThat(topology.get_bolts().get(Names.Components.DEAD_LETTER_SINK).get_common().get_inputs().keySet())
                .extracting(GlobalStreamId::get_streamId).containsExactly(Names.Streams.DEAD_LETTER);
        assertThat(topology.get_bolts().get(Names.Components.TRIGGER_SINK).get_common().get_inputs().keySet())
                .extracting(GlobalStreamId::get_streamId).containsExactly(Names.Streams.TRIGGERS);
        assertThat(built.config().get("topology.max.spout.pending")).isInstanceOf(Integer.class);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fluxAndProperties")
    void theCrmBoltGetsTheHandlerLimitsTheOfflineRunnerReadsFromTheSameFile(Path yaml, Path properties) throws Exception {
        Properties props = load(RepoPaths.flux().resolve(properties));
        StormTopology topology = LocalFluxTopology.build(RepoPaths.flux().resolve(yaml), props).topology();
        CrmBolt bolt = (CrmBolt) org.apache.storm.utils.Utils.javaDeserialize(
                topology.get_bolts().get(Names.Components.CRM).get_bolt_object().get_serialized_java(), Object.class);

        assertThat(bolt.handlerSettings().limits()).isEqualTo(io.gamecrm.handlers.HandlerLimits.fromProperties(props));
        assertThat(bolt.handlerSettings().breaker()).isEqualTo(io.gamecrm.handlers.BreakerSettings.fromProperties(props));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fluxAndProperties")
    void theCrmBoltGetsTheGlobalHoldoutTheOfflineRunnerReadsFromTheSameFile(Path yaml, Path properties) throws Exception {
        Properties props = load(RepoPaths.flux().resolve(properties));
        props.setProperty(Names.Props.HOLDOUT_GLOBAL, "0.05");
        StormTopology topology = LocalFluxTopology.build(RepoPaths.flux().resolve(yaml), props).topology();
        CrmBolt bolt = (CrmBolt) org.apache.storm.utils.Utils.javaDeserialize(
                topology.get_bolts().get(Names.Components.CRM).get_bolt_object().get_serialized_java(), Object.class);

        assertThat(bolt.crmSettings().globalHoldout()).isEqualTo(0.05);
        assertThat(io.gamecrm.offline.OfflineRun.Options.fromProperties(props, java.time.Clock.systemUTC())
                .globalHoldout()).isEqualTo(0.05);
    }
}
