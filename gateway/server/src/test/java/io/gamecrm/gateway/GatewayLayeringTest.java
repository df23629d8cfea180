package io.gamecrm.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages, like the topology's (ARCHITECTURE.md): {@code ingest} (parsing, limits,
 * the {@code EventSink} port; plain Java) at the bottom, the adapters {@code api} (HTTP resources)
 * and {@code kafka} (the sink) above it, which know nothing of each other, and the application
 * ({@code GatewayApplication}, the wiring) on top. {@code GatewayNames} (every name) may be used by all.
 */
class GatewayLayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gamecrm.gateway");
    }

    @Test
    void ingestUsesNoAdapterAndNoApplicationClass() {
        noClasses().that().resideInAPackage("io.gamecrm.gateway.ingest..")
                .should().dependOnClassesThat(resideInAnyPackage("io.gamecrm.gateway.api..", "io.gamecrm.gateway.kafka..")
                        .or(resideInAPackage("io.gamecrm.gateway").and(not(belongToAnyOf(GatewayNames.class)))))
                .check(classes);
    }

    @Test
    void ingestIsPlainJava() {
        noClasses().that().resideInAPackage("io.gamecrm.gateway.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.dropwizard..",
                        "jakarta.ws.rs..", "org.eclipse.jetty..", "org.glassfish..")
                .check(classes);
    }

    @Test
    void theAdaptersDoNotUseEachOtherNorTheApplication() {
        noClasses().that().resideInAPackage("io.gamecrm.gateway.api..")
                .should().dependOnClassesThat(resideInAPackage("io.gamecrm.gateway.kafka..")
                        .or(resideInAPackage("io.gamecrm.gateway").and(not(belongToAnyOf(GatewayNames.class)))))
                .check(classes);
        noClasses().that().resideInAPackage("io.gamecrm.gateway.kafka..")
                .should().dependOnClassesThat(resideInAPackage("io.gamecrm.gateway.api..")
                        .or(resideInAPackage("io.gamecrm.gateway").and(not(belongToAnyOf(GatewayNames.class)))))
                .check(classes);
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        slices().matching("io.gamecrm.gateway.(*)..").should().beFreeOfCycles().check(classes);
    }
}
