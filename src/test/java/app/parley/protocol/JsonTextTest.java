package app.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void parsesTheSeedsCustomEventArguments() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", 1);
        nested.put("b", Arrays.asList(true, null, 2.5, "x\"y"));
        assertThat(JsonText.parseArguments("10, \"Hi\", {\"a\": 1, \"b\": [true, null, 2.5, \"x\\\"y\"]}"))
                .containsExactly(10, "Hi", nested);
        assertThat(JsonText.parseArguments("  ")).isEmpty();
        assertThat(JsonText.parseArguments("\"\\u00e9\\n\"")).containsExactly("é\n");
        assertThat(JsonText.parseArguments("12345678901")).containsExactly(12345678901L);
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> JsonText.parseArguments("10, 'Hi'")).hasMessageContaining("character 5");
        assertThatThrownBy(() -> JsonText.parseArguments("{\"a\": 1"))
                .hasMessageContaining("'}' expected")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonText.parseArguments("\"open")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> JsonText.parseArguments("1 2")).hasMessageContaining("',' expected");
    }

    @Test
    void writesWhatItReads() {
        List<Object> args = JsonText.parseArguments("[1,\"two\",{\"three\":[3,null]}], \"tab\\there\"");
        String written = JsonText.write(args);
        assertThat(written).isEqualTo("[[1,\"two\",{\"three\":[3,null]}],\"tab\\there\"]");
        assertThat(JsonText.parseArguments(written.substring(1, written.length() - 1)))
                .isEqualTo(args);
    }
}
