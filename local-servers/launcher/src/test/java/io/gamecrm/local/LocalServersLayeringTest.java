package io.gamecrm.local;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.gamecrm.local.storm.cluster.WorkerReaper;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher's packages (ARCHITECTURE.md): the core {@code io.gamecrm.local} (Kafka and Cassandra as child
 * JVMs, their settings, {@code ChildJvm} and the other shared helpers) at the bottom, reaching its servers through
 * processes and sockets only; above it the Storm packages, {@code storm} (a topology on an in-process
 * LocalCluster) and {@code storm.cluster} (a multi-process cluster), which do not use each other. The classes
 * copied into a child's bootstrap directory use nothing but the JDK. No package cycles.
 */
class LocalServersLayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gamecrm.local");
    }

    @Test
    void theCoreUsesNoStormPackage() {
        noClasses().that().resideInAPackage("io.gamecrm.local")
                .should().dependOnClassesThat().resideInAPackage("io.gamecrm.local.storm..")
                .check(classes);
    }

    @Test
    void theCoreTalksToItsServersThroughProcessesAndSocketsOnly() {
        noClasses().that().resideInAPackage("io.gamecrm.local")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.storm..", "org.apache.kafka..",
                        "kafka..", "com.datastax..", "org.apache.cassandra..")
                .check(classes);
    }

    @Test
    void theTwoStormPackagesDoNotUseEachOther() {
        noClasses().that().resideInAPackage("io.gamecrm.local.storm")
                .should().dependOnClassesThat().resideInAPackage("io.gamecrm.local.storm.cluster..")
                .check(classes);
        noClasses().that().resideInAPackage("io.gamecrm.local.storm.cluster..")
                .should().dependOnClassesThat().resideInAPackage("io.gamecrm.local.storm")
                .check(classes);
    }

    @Test
    void bootstrapClassesUseOnlyTheJdk() {
        for (Class<?> bootstrap : List.of(ParentWatch.class, WorkerReaper.class)) {
            classes().that().belongToAnyOf(bootstrap)
                    .should().onlyDependOnClassesThat(resideInAPackage("java..").or(belongToAnyOf(bootstrap)))
                    .check(classes);
        }
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        slices().matching("io.gamecrm.(**)").should().beFreeOfCycles().check(classes);
    }
}
