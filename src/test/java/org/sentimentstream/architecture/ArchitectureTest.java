package org.sentimentstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The allowed dependencies between the service's packages (in the spirit of Kafka's
 * {@code checkstyle/import-control.xml}): every package is a layer that may use only the layers named
 * here, so a new package, or a new arrow between two, is a decision made in this file. The service
 * (everything but {@code devtools} and {@code localbroker}) never depends on the development broker:
 * the service jar leaves both packages out.
 */
class ArchitectureTest {

    private static final String ROOT = "org.sentimentstream";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
    }

    /** The layers and what each may use (the generated Avro classes are open to every layer). */
    static ArchRule layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("avro")
                .definedBy(ROOT + ".avro..")
                .layer("tokenizer")
                .definedBy(ROOT + ".tokenizer..")
                .layer("registry")
                .definedBy(ROOT + ".registry..")
                .layer("serde")
                .definedBy(ROOT + ".serde..")
                .layer("model")
                .definedBy(ROOT + ".model..")
                .layer("config")
                .definedBy(ROOT + ".config..")
                .layer("stream")
                .definedBy(ROOT + ".stream..")
                .layer("app")
                .definedBy(ROOT + ".app..")
                .layer("loadtest")
                .definedBy(ROOT + ".loadtest..")
                .layer("ops")
                .definedBy(ROOT + ".ops..")
                .layer("cli")
                .definedBy(ROOT + ".cli..")
                .layer("localbroker")
                .definedBy(ROOT + ".localbroker..")
                .layer("devtools")
                .definedBy(ROOT + ".devtools..")
                .whereLayer("avro")
                .mayNotAccessAnyLayer()
                .whereLayer("tokenizer")
                .mayNotAccessAnyLayer()
                // The schema registry client (Confluent REST API): plain HTTP and JSON, knows no record type.
                .whereLayer("registry")
                .mayNotAccessAnyLayer()
                // serde -> registry: the confluent-avro format finds writer schemas and registers its own there.
                .whereLayer("serde")
                .mayOnlyAccessLayers("avro", "registry")
                .whereLayer("model")
                .mayOnlyAccessLayers("tokenizer")
                .whereLayer("config")
                .mayOnlyAccessLayers("model", "serde")
                // stream knows no settings: app maps the configuration to its types (StreamSettings).
                .whereLayer("stream")
                .mayOnlyAccessLayers("avro", "tokenizer", "serde", "model")
                // ops (metrics, health, their HTTP server) implements the stream's metric hooks and the
                // model's reload listener and shows what the model package reports; it knows no settings:
                // app reads them and wires ops in. stream never sees ops (only its ProcessingMetrics).
                .whereLayer("ops")
                .mayOnlyAccessLayers("model", "stream")
                .whereLayer("app")
                .mayOnlyAccessLayers("serde", "model", "config", "stream", "ops")
                .whereLayer("loadtest")
                .mayOnlyAccessLayers("avro", "serde", "stream")
                // cli -> registry: a registry's refusal is a configuration error (exit code 2), unreachable is 1.
                .whereLayer("cli")
                .mayOnlyAccessLayers(
                        "avro", "tokenizer", "serde", "registry", "model", "config", "stream", "app", "loadtest")
                .whereLayer("localbroker")
                .mayNotAccessAnyLayer()
                .whereLayer("devtools")
                .mayOnlyAccessLayers("avro", "serde", "config", "stream", "app", "cli", "localbroker");
    }

    @Test
    void shouldKeepEveryPackageWithinItsAllowedDependencies() {
        layers().check(classes);
    }

    @Test
    void shouldPutEveryClassInAPackageThatHasALayer() {
        noClasses()
                .should()
                .resideOutsideOfPackages(
                        ROOT + ".avro..",
                        ROOT + ".tokenizer..",
                        ROOT + ".serde..",
                        ROOT + ".registry..",
                        ROOT + ".model..",
                        ROOT + ".config..",
                        ROOT + ".stream..",
                        ROOT + ".app..",
                        ROOT + ".ops..",
                        ROOT + ".loadtest..",
                        ROOT + ".cli..",
                        ROOT + ".localbroker..",
                        ROOT + ".devtools..")
                .because("a new package needs its place in the layers above")
                .check(classes);
    }

    @Test
    void shouldHaveNoCyclesBetweenPackages() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldKeepTheServiceFreeOfTheDevelopmentBroker() {
        noClasses()
                .that()
                .resideOutsideOfPackages(ROOT + ".devtools..", ROOT + ".localbroker..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".devtools..", ROOT + ".localbroker..", "kafka..", "scala..")
                .because("the service jar leaves out the development tools, the broker and Scala")
                .check(classes);
    }

    @Test
    void shouldLogThroughSlf4jOnly() {
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(classes);
        // The one exception: the child JVM launcher's usage line, printed before logging exists.
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(ROOT + ".localbroker.ChildMain")
                .should(ACCESS_STANDARD_STREAMS)
                .check(classes);
    }
}
