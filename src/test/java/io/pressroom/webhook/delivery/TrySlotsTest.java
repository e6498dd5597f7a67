package io.pressroom.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TrySlotsTest {

    @Test
    void aTryHoldsItsSlotUntilItEndsCountedByProject() {
        TrySlots slots = new TrySlots(4, 2);
        slots.take("prj_a");
        slots.take("prj_a");
        slots.take("prj_b");
        assertThat(slots.free()).isEqualTo(1);
        assertThat(slots.byProject()).isEqualTo(Map.of("prj_a", 2, "prj_b", 1));

        slots.release("prj_a");
        slots.release("prj_b");
        assertThat(slots.free()).isEqualTo(3);
        assertThat(slots.taken()).isEqualTo(1);
        assertThat(slots.byProject()).as("a project without tries is no longer listed").isEqualTo(Map.of("prj_a", 1));
    }

    @Test
    void aProjectsShareIsAtLeastOneAndAtMostTheWhole() {
        assertThat(new TrySlots(4, 16).perProject()).isEqualTo(4);
        assertThat(new TrySlots(4, 0).perProject()).isEqualTo(1);
        assertThat(new TrySlots(0, 4).free()).isEqualTo(1);
    }
}
