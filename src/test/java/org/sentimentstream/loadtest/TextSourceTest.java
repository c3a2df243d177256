package org.sentimentstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSourceTest {

    @TempDir
    Path folder;

    @Test
    void shouldUseTheLinesOfAFileInTurnSkippingBlankOnes() throws Exception {
        Path file = Files.writeString(folder.resolve("texts.txt"), "one\n\n  \ntwo\nthree\n");

        TextSource texts = TextSource.fromFile(file);

        assertThat(texts.size()).isEqualTo(3);
        assertThat(List.of(texts.text(0), texts.text(1), texts.text(2), texts.text(3), texts.text(7)))
                .containsExactly("one", "two", "three", "one", "two");
    }

    @Test
    void shouldInterleaveTheTrainingFilesFromTheDataFolder() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Files.writeString(data.resolve("train-negative-50k.txt"), "bad\nworse\n");
        Files.writeString(data.resolve("train-positive-50k.txt"), "good\nbetter\n");
        Files.writeString(data.resolve("other.txt"), "ignored\n");

        TextSource texts = TextSource.trainingData(Optional.of(data), List.of());

        assertThat(texts.size()).isEqualTo(4);
        assertThat(List.of(texts.text(0), texts.text(1), texts.text(2), texts.text(3)))
                .containsExactly("bad", "good", "worse", "better");
    }

    @Test
    void shouldFindTheTrainingDataNextToARepository() throws Exception {
        Path repository = Files.createDirectories(folder.resolve("work/repo"));
        Path data = Files.createDirectories(folder.resolve("work/shared/data/sentiment140"));
        Files.writeString(data.resolve("train-positive-50k.txt"), "good\n");

        TextSource texts = TextSource.trainingData(Optional.empty(), List.of(folder.resolve("nowhere"), repository));

        assertThat(texts.text(0)).isEqualTo("good");
    }

    @Test
    void shouldNameTheFoldersTriedWhenThereIsNoTrainingData() {
        Path empty = folder.resolve("empty");

        assertThatThrownBy(() -> TextSource.trainingData(Optional.of(empty), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("--texts")
                .hasMessageContaining("SENTIMENT140_DIR");
    }

    @Test
    void shouldRefuseAMissingOrBlankFile() throws Exception {
        Path blank = Files.writeString(folder.resolve("blank.txt"), "\n \n");

        assertThatThrownBy(() -> TextSource.fromFile(folder.resolve("missing.txt")))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> TextSource.fromFile(blank)).hasMessageContaining("no text");
    }
}
