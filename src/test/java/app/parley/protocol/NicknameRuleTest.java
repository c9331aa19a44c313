package app.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link WireRules#checkNickname(Object)}. */
class NicknameRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"ann", "Zoë", "Ann Smith", "日本語", "x", "émile_42"})
    void acceptsOrdinaryNicknames(String name) {
        assertThat(WireRules.checkNickname(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "\u00a0",
                " lead",
                "trail ",
                "tab\tin",
                "rlo\u202Eevil",
                "zero\u200Bwidth",
                "bom\uFEFF",
                "line\u2028break",
                "lone\uD800"
            })
    void refusesBlankOrInvisibleNicknames(String name) {
        assertThat(WireRules.checkNickname(name)).isPresent();
    }

    @Test
    void countsCodePointsUpToThirtyTwo() {
        assertThat(WireRules.checkNickname("😀".repeat(32))).isEmpty();
        assertThat(WireRules.checkNickname("😀".repeat(33)))
                .hasValueSatisfying(r -> assertThat(r).contains("32"));
    }

    @Test
    void refusesNonStrings() {
        assertThat(WireRules.checkNickname(null)).isPresent();
        assertThat(WireRules.checkNickname(7)).isPresent();
    }
}
