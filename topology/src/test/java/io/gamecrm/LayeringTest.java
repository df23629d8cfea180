package io.gamecrm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of the topology depend downward only. Read from the compiled main classes (tests
 * and libraries aside), bottom to top:
 * <ol>
 *   <li>{@code json}: reading and writing JSON;</li>
 *   <li>{@code validation}: event schemas, valid events, dead letters;</li>
 *   <li>{@code campaign}: campaign definitions, caps, control and the guard;</li>
 *   <li>{@code handlers}: the JavaScript handler runtime;</li>
 *   <li>{@code trigger}: trigger messages;</li>
 *   <li>{@code crm}: the pipeline, with its ports ({@code ProfileStore}, {@code HandlerSource});</li>
 *   <li>adapters: {@code profile} (Cassandra), {@code feed} (handler distribution over Kafka),
 *       {@code maintenance} (the maintenance topic), {@code ledger} (the trigger topic read back),
 *       {@code access} (the clients' settings from a properties file, checked at start);</li>
 *   <li>applications: {@code storm} (bolts and spouts) and {@code offline} (the {@code crm handlers
 *       test} runner), which know nothing of each other.</li>
 * </ol>
 * {@code io.gamecrm.Names} (constants) may be used by all. Every package is in a layer, so a new
 * one must take its place here; no two packages import each other, even through a third; nothing
 * below the adapters, nor the offline runner, talks to Kafka, Cassandra or Storm.
 */
class LayeringTest {
    private static final String[] SERVERS = {"org.apache.kafka..", "com.datastax..", "org.apache.storm.."};

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        // the folder (or jar) Names was loaded from: the topology's main classes, and nothing else
        mainClasses = new ClassFileImporter().importUrl(Names.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void packagesDependOnlyOnTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Json").definedBy("io.gamecrm.json..")
                .layer("Validation").definedBy("io.gamecrm.validation..")
                .layer("Campaign").definedBy("io.gamecrm.campaign..")
                .layer("Handlers").definedBy("io.gamecrm.handlers..")
                .layer("Trigger").definedBy("io.gamecrm.trigger..")
                .layer("Crm").definedBy("io.gamecrm.crm..")
                .layer("Adapters").definedBy("io.gamecrm.profile..", "io.gamecrm.feed..", "io.gamecrm.maintenance..",
                        "io.gamecrm.ledger..", "io.gamecrm.access..")
                .layer("Storm").definedBy("io.gamecrm.storm..")
                .layer("Offline").definedBy("io.gamecrm.offline..")
                .whereLayer("Json").mayNotAccessAnyLayer()
                .whereLayer("Validation").mayOnlyAccessLayers("Json")
                .whereLayer("Campaign").mayOnlyAccessLayers("Json", "Validation")
                .whereLayer("Handlers").mayOnlyAccessLayers("Json", "Validation", "Campaign")
                .whereLayer("Trigger").mayOnlyAccessLayers("Json", "Validation", "Campaign", "Handlers")
                .whereLayer("Crm").mayOnlyAccessLayers("Json", "Validation", "Campaign", "Handlers", "Trigger")
                .whereLayer("Adapters").mayOnlyAccessLayers("Json", "Validation", "Campaign", "Handlers", "Trigger", "Crm")
                .whereLayer("Storm").mayOnlyAccessLayers("Json", "Validation", "Campaign", "Handlers", "Trigger", "Crm",
                        "Adapters")
                .whereLayer("Offline").mayOnlyAccessLayers("Json", "Validation", "Campaign", "Handlers", "Trigger", "Crm",
                        "Adapters")
                .ensureAllClassesAreContainedInArchitectureIgnoring("io.gamecrm")
                .check(mainClasses);
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        slices().matching("io.gamecrm.(*)..").should().beFreeOfCycles().check(mainClasses);
    }

    @Test
    void nothingBelowTheAdaptersTalksToKafkaCassandraOrStorm() {
        noClasses().that().resideInAnyPackage("io.gamecrm.json..", "io.gamecrm.validation..", "io.gamecrm.campaign..",
                        "io.gamecrm.handlers..", "io.gamecrm.trigger..", "io.gamecrm.crm..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVERS)
                .check(mainClasses);
    }

    @Test
    void theOfflineRunnerNeedsNoServer() {
        noClasses().that().resideInAPackage("io.gamecrm.offline..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVERS)
                .check(mainClasses);
    }
}
