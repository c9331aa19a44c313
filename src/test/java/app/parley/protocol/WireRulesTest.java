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
    @ValueSource(
            strings = {
                "",
                " ",
                " lead",
                "trail ",
                "a\u00a0",
                "\u202fa",
                "tab\tin",
                "rlo\u202Eevil",
                "zero\u200Bwidth",
                "bom\uFEFF",
                "line\u2028break",
                "lone\uD800surrogate",
                "private\uE000use"
            })
    void refusesInvisibleOrAmbiguousRoomNames(String name) {
        assertThat(WireRules.checkRoomName(name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ann", "Zoé", "李小龙", "Ann Lee", "😀", "o'Brien-2"})
    void acceptsOrdinaryNicknames(String name) {
        assertThat(WireRules.checkNickname(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", " Ann", "Ann ", "\u202Eevil", "Ann\u200B", "tab\tin", "new\nline", "bom\uFEFF"})
    void refusesBlankPaddedOrInvisibleNicknames(String name) {
        assertThat(WireRules.checkNickname(name)).isPresent();
    }

    @Test
    void nicknamesAreMeasuredAndComparedInNfcIgnoringCase() {
        assertThat(WireRules.checkNickname("x".repeat(32))).isEmpty();
        assertThat(WireRules.checkNickname("x".repeat(33)))
                .hasValueSatisfying(r -> assertThat(r).contains("32"));
        assertThat(WireRules.checkNickname("x".repeat(10_000)))
                .hasValueSatisfying(r -> assertThat(r).contains("32"));
        // 32 letters, each written as letter + combining accent: 64 code points, 32 in NFC.
        assertThat(WireRules.checkNickname("e\u0301".repeat(32))).isEmpty();
        assertThat(WireRules.checkNickname(42)).hasValue("name must be a string");
        assertThat(WireRules.nicknameKey("Zoe\u0301")).isEqualTo(WireRules.nicknameKey("ZO\u00c9"));
        assertThat(WireRules.nicknameKey("Straße")).isEqualTo(WireRules.nicknameKey("STRASSE"));
        assertThat(WireRules.nicknameKey("Ann")).isNotEqualTo(WireRules.nicknameKey("Anne"));
    }

    @Test
    void refusesOverlongRoomNamesCountingCodePoints() {
        assertThat(WireRules.checkRoomName("😀".repeat(64))).isEmpty();
        assertThat(WireRules.checkRoomName("😀".repeat(65)))
                .hasValueSatisfying(r -> assertThat(r).contains("64"));
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
