package org.sentimentstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildClassPathTest {

    @TempDir
    Path folder;

    @Test
    void shouldExpandTheClassPathListedInAManifestOnlyJar() throws Exception {
        Path libs = Files.createDirectories(folder.resolve("lib dir"));
        Path relative = Files.createFile(libs.resolve("relative.jar"));
        Path absolute = Files.createDirectories(folder.resolve("classes"));
        Path booter = folder.resolve("booter.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib%20dir/relative.jar " + absolute.toUri());
        try (OutputStream out = Files.newOutputStream(booter);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }

        assertThat(ChildClassPath.expand(booter.toString()))
                .containsExactly(booter.toString(), relative.toString(), absolute.toString());
    }

    @Test
    void shouldKeepPlainEntriesInOrderWithoutDuplicates() throws Exception {
        Path a = Files.createDirectories(folder.resolve("a"));
        Path b = Files.createFile(folder.resolve("b.jar"));
        String classPath = String.join(File.pathSeparator, a.toString(), b.toString(), a.toString());

        assertThat(ChildClassPath.expand(classPath)).containsExactly(a.toString(), b.toString());
    }

    @Test
    void shouldIncludeTheBrokerEntryPointInTheCurrentClassPath() throws Exception {
        String current = ChildClassPath.current();
        Path kafkaJar = Path.of(kafka.Kafka.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());

        assertThat(current.split(File.pathSeparator)).contains(kafkaJar.toString());
    }
}
