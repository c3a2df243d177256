package org.sentimentstream.architecture;

import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Integration tests are found by one gate, the tag: Surefire leaves out the classes tagged
 * {@value #INTEGRATION} and Failsafe runs only them (pom.xml). The naming convention ({@code *IT}) is kept
 * here instead, both ways: a class named {@code *IT} without the tag would run among the unit tests, and a
 * tagged class with another name would surprise a reader. Integration tests also need a {@code @Timeout}.
 */
class IntegrationTestGateTest {

    static final String INTEGRATION = "integration";

    private static final DescribedPredicate<JavaClass> TAGGED_INTEGRATION =
            DescribedPredicate.describe("tagged @Tag(\"" + INTEGRATION + "\")", IntegrationTestGateTest::isTagged);

    private static JavaClasses testClasses;

    /** The test classes of the project, without this class's own examples of broken conventions. */
    @BeforeAll
    static void importTestClasses() {
        testClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .withImportOption(location -> !location.contains(IntegrationTestGateTest.class.getSimpleName() + "$"))
                .importPackages("org.sentimentstream");
    }

    static ArchRule classesNamedItAreTagged() {
        return classes()
                .that()
                .areNotAnnotatedWith(Nested.class)
                .and()
                .haveSimpleNameEndingWith("IT")
                .should(be(TAGGED_INTEGRATION))
                .because("Failsafe runs integration tests by their tag, and Surefire would run an untagged *IT");
    }

    static ArchRule taggedClassesAreNamedIt() {
        return classes()
                .that(TAGGED_INTEGRATION)
                .should()
                .haveSimpleNameEndingWith("IT")
                .because("integration tests are named *IT");
    }

    static ArchRule integrationTestsHaveATimeout() {
        return classes()
                .that(TAGGED_INTEGRATION)
                .should()
                .beAnnotatedWith(Timeout.class)
                .because("an integration test waits on a real broker and must not hang the build");
    }

    @Test
    void shouldTagEveryClassNamedIt() {
        classesNamedItAreTagged().check(testClasses);
    }

    @Test
    void shouldNameEveryTaggedClassIt() {
        taggedClassesAreNamedIt().check(testClasses);
    }

    @Test
    void shouldGiveEveryIntegrationTestATimeout() {
        integrationTestsHaveATimeout().check(testClasses);
    }

    @Test
    void shouldFindIntegrationTestsToCheck() {
        assertThat(testClasses.stream().filter(TAGGED_INTEGRATION))
                .extracting(JavaClass::getSimpleName)
                .contains("SentimentServiceIT", "LocalKafkaBrokerIT");
    }

    @Test
    void shouldCatchAnUntaggedItAndAMisnamedTaggedClass() {
        JavaClasses broken = new ClassFileImporter().importClasses(UntaggedIT.class, TaggedButMisnamed.class);

        assertThat(classesNamedItAreTagged().evaluate(broken).getFailureReport().getDetails())
                .singleElement()
                .asString()
                .contains(UntaggedIT.class.getName());
        assertThat(taggedClassesAreNamedIt().evaluate(broken).getFailureReport().getDetails())
                .singleElement()
                .asString()
                .contains(TaggedButMisnamed.class.getName());
    }

    private static boolean isTagged(JavaClass javaClass) {
        if (javaClass.isAnnotatedWith(Tag.class)
                && INTEGRATION.equals(javaClass.getAnnotationOfType(Tag.class).value())) {
            return true;
        }
        return javaClass.isAnnotatedWith(Tags.class)
                && Arrays.stream(javaClass.getAnnotationOfType(Tags.class).value())
                        .anyMatch(tag -> INTEGRATION.equals(tag.value()));
    }

    /** Broken on purpose: named like an integration test, not tagged. Never run (no test methods). */
    static final class UntaggedIT {}

    /** Broken on purpose: tagged, not named like an integration test. Never run (no test methods). */
    @Tag(INTEGRATION)
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    static final class TaggedButMisnamed {}
}
