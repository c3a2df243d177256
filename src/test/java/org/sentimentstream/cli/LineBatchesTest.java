package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineBatchesTest {

    @Test
    void shouldBatchAvailableLinesUpToTheMaximumInOrder() throws Exception {
        List<List<String>> batches = new ArrayList<>();

        long count = LineBatches.forEachBatch(new BufferedReader(new StringReader("a\nb\nc\nd\ne\n")), 2, batches::add);

        assertThat(count).isEqualTo(5);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
        assertThat(batches.stream().flatMap(List::stream)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void shouldKeepEmptyLinesAsTexts() throws Exception {
        List<String> lines = new ArrayList<>();

        LineBatches.forEachBatch(new BufferedReader(new StringReader("x\n\ny")), 10, lines::addAll);

        assertThat(lines).containsExactly("x", "", "y");
    }
}
