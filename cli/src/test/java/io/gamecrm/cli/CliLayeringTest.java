package io.gamecrm.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The command line's layers (ARCHITECTURE.md): the game traffic model ({@code cli.traffic}, used by
 * the demo, {@code crm load}, the benchmarks and the analytics tests) is plain Java; the commands
 * above it talk to the servers.
 */
class CliLayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.gamecrm.cli");

    @Test
    void theTrafficModelUsesNoCommandAndNoServer() {
        noClasses().that().resideInAPackage("io.gamecrm.cli.traffic..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gamecrm.cli", "picocli..", "org.apache.kafka..",
                        "com.datastax..", "org.apache.storm..", "io.gamecrm.local..")
                .check(CLASSES);
    }
}
