package org.sentimentstream.localbroker;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class path a child JVM needs to run the same classes as this one.
 *
 * <p>It starts from {@code java.class.path} and expands every jar whose manifest has a
 * {@code Class-Path} attribute: under Maven Surefire/Failsafe the class path may be a single
 * "manifest-only" booter jar that lists the real entries, and a child JVM started with it alone
 * would work too, but expanding keeps the command line self-describing and also covers a
 * launcher jar whose relative entries only make sense next to it. When this JVM runs from the
 * shaded jar ({@code java -jar target/sentiment-stream.jar}), the class path is that jar.
 */
public final class ChildClassPath {

    private static final Logger LOG = LoggerFactory.getLogger(ChildClassPath.class);

    private ChildClassPath() {}

    /** The class path of this JVM, manifest {@code Class-Path} entries expanded, as a path string. */
    public static String current() {
        return String.join(File.pathSeparator, expand(System.getProperty("java.class.path", "")));
    }

    /** Expands {@code classPath} (a path-separator separated list) into absolute, de-duplicated entries. */
    static List<String> expand(String classPath) {
        Set<String> entries = new LinkedHashSet<>();
        for (String element : classPath.split(File.pathSeparator)) {
            if (!element.isBlank()) {
                addWithManifestEntries(Path.of(element).toAbsolutePath().normalize(), entries);
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("java.class.path is empty: cannot build a class path for a child JVM");
        }
        return new ArrayList<>(entries);
    }

    private static void addWithManifestEntries(Path entry, Set<String> entries) {
        if (!entries.add(entry.toString())) {
            return;
        }
        if (!Files.isRegularFile(entry) || !entry.getFileName().toString().endsWith(".jar")) {
            return;
        }
        for (Path referenced : manifestClassPath(entry)) {
            addWithManifestEntries(referenced, entries);
        }
    }

    private static List<Path> manifestClassPath(Path jar) {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            Manifest manifest = jarFile.getManifest();
            String value =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            URI base = jar.toUri();
            List<Path> paths = new ArrayList<>();
            for (String reference : value.trim().split("\\s+")) {
                paths.add(Path.of(base.resolve(new URI(null, null, decodeIfUri(reference), null))
                        .normalize()));
            }
            return paths;
        } catch (IOException e) {
            // The JVM itself skips class path entries it cannot open; keep the entry, unexpanded.
            LOG.debug("Not expanding class path entry {}: {}", jar, e.toString());
            return List.of();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad Class-Path entry in the manifest of " + jar, e);
        }
    }

    /** Manifest entries are relative URLs, percent-encoded; turn one back into a plain path string. */
    private static String decodeIfUri(String reference) throws URISyntaxException {
        URI uri = new URI(reference);
        return uri.getScheme() == null ? uri.getPath() : Path.of(uri).toString();
    }
}
