package io.hyperrec.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** core holds the math: no Flink, Kafka, Avro or RocksDB (ARCHITECTURE.md, "Modules"). */
class LayeringTest {
    private static final JavaClasses CORE =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.hyperrec.core");

    @Test
    void coreDependsOnNoStreamingOrStorageLibrary() {
        noClasses()
                .that()
                .resideInAPackage("io.hyperrec.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink..",
                        "org.apache.kafka..",
                        "org.apache.avro..",
                        "org.rocksdb..")
                .check(CORE);
    }

    @Test
    void coreDependsOnNoOtherHyperrecModule() {
        noClasses()
                .that()
                .resideInAPackage("io.hyperrec.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.hyperrec.store..",
                        "io.hyperrec.jobs..",
                        "io.hyperrec.app..",
                        "io.hyperrec.schemas..",
                        "io.hyperrec.enrichment..",
                        "io.hyperrec.gpu..")
                .check(CORE);
    }

    @Test
    void theTrainerUsesKernelsOnlyThroughTheInterface() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.hyperrec.core.train..",
                        "io.hyperrec.core.model..",
                        "io.hyperrec.core.eval..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("CpuKernels")
                .check(CORE);
    }
}
