package app.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"design", "Café ☕ 2", "a b", "日本語", "x"})
    void acceptsOrdinaryRoomNames(String name) {
        assertThat(WireRules.checkRoomName(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " lead", "trail ", "a\u00a0", "\u202fa", "tab\tin", "rlo\u202Eevil",
            "zero\u200Bwidth", "bom\uFEFF", "line\u2028break", "lone\uD800surrogate", "private\uE000use"})
    void refusesInvisibleOrAmbiguousRoomNames(String name) {
        assertThat(WireRules.checkRoomName(name)).isPresent();
    }

    @Test
    void refusesOverlongRoomNamesCountingCodePoints() {
        assertThat(WireRules.checkRoomName("😀".repeat(64))).isEmpty();
        assertThat(WireRules.checkRoomName("😀".repeat(65))).hasValueSatisfying(r -> assertThat(r).contains("64"));
        assertThat(WireRules.checkRoomName("x".repeat(10_000))).isPresent();
    }

    @Test
    void messagesMustBeNonBlankStringsWithinTheLimit() {
        assertThat(WireRules.checkMessage("hi")).isEmpty();
        assertThat(WireRules.checkMessage("é".repeat(4000))).isEmpty();
        assertThat(WireRules.checkMessage("é".repeat(4001))).isPresent();
        assertThat(WireRules.checkMessage("   ")).isPresent();
        assertThat(WireRules.checkMessage(42)).hasValue("message must be a string");
        assertThat(WireRules.checkMessage(null)).isPresent();
    }

    @Test
    void targetRoomAllowsEveryoneAndRoomNames() {
        assertThat(WireRules.checkTargetRoom("")).isEmpty();
        assertThat(WireRules.checkTargetRoom(null)).isEmpty();
        assertThat(WireRules.checkTargetRoom("design")).isEmpty();
        assertThat(WireRules.checkTargetRoom(7)).isPresent();
    }

    @Test
    void reservedEventNamesAreRefused() {
        assertThat(WireRules.checkEventName("custom-event")).isEmpty();
        assertThat(WireRules.checkEventName("connect")).isPresent();
        assertThat(WireRules.checkEventName(ChatEvents.SEND_MESSAGE)).isPresent();
        assertThat(WireRules.checkEventName("")).isPresent();
    }
}
