package io.gamecrm.analytics;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The analytics module's layers (ARCHITECTURE.md), bottom to top: Spark and the data
 * ({@code spark}, {@code history}, {@code cluster}); the analyses ({@code questions},
 * {@code backtest}); their outputs ({@code plot}, {@code serve}); the command line
 * ({@code io.gamecrm.analytics}) and the benchmark ({@code bench}).
 */
class AnalyticsLayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.gamecrm.analytics");

    @Test
    void packagesDependOnlyOnTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Data").definedBy("io.gamecrm.analytics.spark..", "io.gamecrm.analytics.history..",
                        "io.gamecrm.analytics.cluster..")
                .layer("Analyses").definedBy("io.gamecrm.analytics.questions..", "io.gamecrm.analytics.backtest..")
                .layer("Outputs").definedBy("io.gamecrm.analytics.plot..", "io.gamecrm.analytics.serve..")
                .layer("Application").definedBy("io.gamecrm.analytics", "io.gamecrm.analytics.bench..")
                .whereLayer("Application").mayNotBeAccessedByAnyLayer()
                .whereLayer("Outputs").mayOnlyBeAccessedByLayers("Application")
                .whereLayer("Analyses").mayOnlyBeAccessedByLayers("Outputs", "Application")
                .ensureAllClassesAreContainedInArchitectureIgnoring("io.gamecrm.analytics.it..")
                .check(CLASSES);
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        slices().matching("io.gamecrm.analytics.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
