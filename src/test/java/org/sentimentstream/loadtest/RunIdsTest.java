package org.sentimentstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void shouldMapIdsToTheirIndexAndBack() {
        RunIds ids = new RunIds("abc");

        assertThat(ids.id(0)).isEqualTo("abc-0");
        assertThat(ids.indexOf("abc-0")).isZero();
        assertThat(ids.indexOf(ids.id(123_456))).isEqualTo(123_456);
    }

    @Test
    void shouldNotClaimTheIdsOfAnotherRun() {
        RunIds ids = new RunIds("abc");

        assertThat(ids.indexOf("abd-1")).isEqualTo(-1);
        assertThat(ids.indexOf("abcd-1")).isEqualTo(-1);
        assertThat(ids.indexOf("abc-")).isEqualTo(-1);
        assertThat(ids.indexOf("abc-1x")).isEqualTo(-1);
        assertThat(ids.indexOf("abc--1")).isEqualTo(-1);
        assertThat(ids.indexOf("abc-99999999999999999999")).isEqualTo(-1);
        assertThat(ids.indexOf(null)).isEqualTo(-1);
    }

    @Test
    void shouldGiveEachRunADifferentRandomId() {
        Set<String> runIds = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            runIds.add(RunIds.random().runId());
        }
        assertThat(runIds).hasSize(100);
        assertThat(runIds).allSatisfy(id -> assertThat(id).doesNotContain("-").isNotBlank());
    }

    @Test
    void shouldRefuseRunIdsThatWouldMakeIdsAmbiguous() {
        assertThatThrownBy(() -> new RunIds("a-b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunIds(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunIds("a b")).isInstanceOf(IllegalArgumentException.class);
    }
}
