package app.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "../../etc/passwd | passwd",
                "C:\\Windows\\evil.exe | evil.exe",
                "/abs/path/ | file",
                "mixed\\dirs/report.pdf | report.pdf",
                "'  spaced out.txt  ' | spaced out.txt",
                "report.pdf | report.pdf",
                "Café ☕ 2.png | Café ☕ 2.png",
                ". | file",
                ".. | file",
                "dir/.. | file",
                "'' | file",
                "'   ' | file",
                ".bashrc | .bashrc",
                "... | ..."
            })
    void shownKeepsTheLastSegmentTrimmed(String raw, String shown) {
        assertThat(FileNames.shown(raw)).isEqualTo(shown);
    }

    @Test
    void shownOfNothingIsFile() {
        assertThat(FileNames.shown(null)).isEqualTo("file");
        assertThat(FileNames.forSaving(null)).isEqualTo("file");
    }

    @Test
    void aRightToLeftOverrideCannotDisguiseTheExtension() {
        // Shown with the override, "invoice\u202Egpj.exe" reads "invoiceexe.jpg".
        assertThat(FileNames.shown("invoice\u202Egpj.exe")).isEqualTo("invoicegpj.exe");
        for (char bidi : "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C".toCharArray()) {
            assertThat(FileNames.shown("a" + bidi + "b.txt"))
                    .as("U+%04X", (int) bidi)
                    .isEqualTo("ab.txt");
        }
    }

    @Test
    void controlAndInvisibleCharactersAreRemoved() {
        assertThat(FileNames.shown("new\nline\r\t.txt")).isEqualTo("newline.txt");
        assertThat(FileNames.shown("nul\u0000bell\u0007del\u007f.txt")).isEqualTo("nulbelldel.txt");
        assertThat(FileNames.shown("c1\u0085\u009b.txt")).isEqualTo("c1.txt");
        assertThat(FileNames.shown("zero\u200Bwidth\u200Cnon\u200Djoiner\u2060.txt"))
                .isEqualTo("zerowidthnonjoiner.txt");
        assertThat(FileNames.shown("\uFEFFbom\u00ADsoft.txt")).isEqualTo("bomsoft.txt");
        assertThat(FileNames.shown("line\u2028para\u2029.txt")).isEqualTo("linepara.txt");
        assertThat(FileNames.shown("lone\uD800surrogate.txt")).isEqualTo("lonesurrogate.txt");
        // Removed first, so what was left blank becomes "file", and ". ." tricks are caught.
        assertThat(FileNames.shown("\u200B\u202E")).isEqualTo("file");
        assertThat(FileNames.shown(".\u200B.")).isEqualTo("file");
        assertThat(FileNames.shown("\u00a0\u3000x\u2003")).isEqualTo("x");
    }

    @Test
    void namesAreComposedToNfc() {
        assertThat(FileNames.shown("Caf" + "e\u0301.txt")).isEqualTo("Caf\u00e9.txt");
        // An invisible character between letter and accent must not keep them apart.
        assertThat(FileNames.shown("e\u200B\u0301")).isEqualTo("\u00e9");
        assertThat(Normalizer.isNormalized(FileNames.shown("A\u030Angstro\u0308m"), Normalizer.Form.NFC))
                .isTrue();
    }

    @Test
    void longNamesAreCutTo255BytesKeepingTheExtensionAndWholeCodePoints() {
        String emoji = "😀"; // 4 UTF-8 bytes, 2 UTF-16 units
        for (int prefix = 0; prefix < 4; prefix++) {
            String raw = "a".repeat(prefix) + emoji.repeat(75) + ".jpeg"; // over 300 bytes
            String shown = FileNames.shown(raw);

            assertThat(utf8(shown))
                    .as("prefix %d", prefix)
                    .isLessThanOrEqualTo(255)
                    .isGreaterThan(250);
            assertThat(shown).endsWith(emoji + ".jpeg").startsWith("a".repeat(prefix));
            assertValidUtf16(shown);
        }
        assertThat(FileNames.shown("x".repeat(255))).hasSize(255);
        assertThat(FileNames.shown("é".repeat(200))).hasSize(127); // 2 bytes each
        // An "extension" over 16 characters is part of the name, cut like the rest.
        String longTail = "n." + "t".repeat(400);
        assertThat(FileNames.shown(longTail)).isEqualTo(longTail.substring(0, 255));
        assertThat(FileNames.shown("n".repeat(300) + "." + "e".repeat(16)))
                .hasSize(255)
                .endsWith("n." + "e".repeat(16));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CON | _CON",
                "con.txt | _con.txt",
                "Nul | _Nul",
                "aux.tar.gz | _aux.tar.gz",
                "LPT9.log | _LPT9.log",
                "com1 | _com1",
                "COM¹.txt | _COM¹.txt",
                "'con .txt' | '_con .txt'",
                "COM10 | COM10",
                "CONSOLE.txt | CONSOLE.txt",
                "icon.png | icon.png",
                "my con.txt | my con.txt"
            })
    void windowsDeviceNamesGetAPrefix(String name, String saved) {
        assertThat(FileNames.forSaving(name)).isEqualTo(saved);
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = "=>",
            value = {
                "what? why*.txt => what_ why_.txt",
                "a:b\"c<d>e|f.txt => a_b_c_d_e_f.txt",
                ".hidden => _.hidden",
                "trailing... => trailing",
                "'trailing . . ' => trailing",
                "... => file",
                "'. . .' => file",
                "../../.ssh/authorized_keys => authorized_keys",
                "日本語.txt => 日本語.txt"
            })
    void savedNamesAreSafeOnEveryDisk(String name, String saved) {
        assertThat(FileNames.forSaving(name)).isEqualTo(saved);
    }

    @Test
    void aPrefixedNameStaysWithin255Bytes() {
        String saved = FileNames.forSaving("." + "x".repeat(254));
        assertThat(saved).startsWith("_.").hasSize(255);
        String emoji = FileNames.forSaving(".😀" + "😀".repeat(70) + ".txt");
        assertThat(utf8(emoji)).isLessThanOrEqualTo(255);
        assertThat(emoji).startsWith("_.😀").endsWith(".txt");
        assertValidUtf16(emoji);
    }

    @Test
    void theHeaderFallbackIsPrintableAsciiWithoutQuotesOrEscapes() {
        assertThat(FileNames.forHeader("report.pdf")).isEqualTo("report.pdf");
        assertThat(FileNames.forHeader("Café ☕ 2.png")).isEqualTo("Caf_ _ 2.png");
        assertThat(FileNames.forHeader("😀.txt")).isEqualTo("_.txt"); // one character, one '_'
        assertThat(FileNames.forHeader("say \"hi\" 100%.txt")).isEqualTo("say _hi_ 100_.txt");
        assertThat(FileNames.forHeader("a\r\nSet-Cookie: x=y")).isEqualTo("aSet-Cookie_ x=y");
        assertThat(FileNames.forHeader("con.txt")).isEqualTo("_con.txt");
    }

    @Test
    void theEncodedNameIsRfc5987AttrCharsAndPercentEscapedUtf8() {
        assertThat(FileNames.encodedForHeader("report-v2_final.pdf")).isEqualTo("report-v2_final.pdf");
        assertThat(FileNames.encodedForHeader("café 1.txt")).isEqualTo("caf%C3%A9%201.txt");
        assertThat(FileNames.encodedForHeader("😀.txt")).isEqualTo("%F0%9F%98%80.txt");
        assertThat(FileNames.encodedForHeader("a'b;c=d\"e%f,g.txt")).isEqualTo("a%27b%3Bc%3Dd_e%25f%2Cg.txt");
        assertThat(FileNames.encodedForHeader("!#$&+-.^_`|~")).isEqualTo("!#$&+-.^_`_~"); // '|' is not for disks
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 26})
    void randomNamesAlwaysComeOutSafe(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(400);
            for (int j = 0; j < length; j++) {
                // Mostly the awkward parts of Unicode: ASCII punctuation, controls, formats, surrogates, emoji.
                raw.append(
                        switch (random.nextInt(6)) {
                            case 0 -> String.valueOf((char) random.nextInt(0x80));
                            case 1 -> String.valueOf((char) (0x2000 + random.nextInt(0x70)));
                            case 2 -> String.valueOf((char) (0xD800 + random.nextInt(0x800)));
                            case 3 -> Character.toString(0x1F300 + random.nextInt(0x300));
                            case 4 -> ".. /\\";
                            default -> String.valueOf((char) random.nextInt(0x10000));
                        });
            }
            String shown = FileNames.shown(raw.toString());
            String saved = FileNames.forSaving(raw.toString());
            for (String name : new String[] {shown, saved}) {
                assertThat(name).isNotEmpty().doesNotContain("/", "\\");
                assertThat(utf8(name)).isLessThanOrEqualTo(255);
                assertValidUtf16(name);
                assertThat(name.codePoints())
                        .noneMatch(c ->
                                Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT);
            }
            assertThat(saved)
                    .doesNotStartWith(".")
                    .doesNotEndWith(".")
                    .doesNotEndWith(" ")
                    .doesNotContainPattern("[:*?\"<>|]");
            assertThat(FileNames.forHeader(raw.toString())).matches("[\\x20-\\x7e&&[^\"\\\\%]]+");
            assertThat(FileNames.encodedForHeader(raw.toString())).matches("([A-Za-z0-9!#$&+\\-.^_`|~]|%[0-9A-F]{2})+");
        }
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A strict UTF-8 encoder refuses half of a surrogate pair, which a careless cut leaves behind. */
    private static void assertValidUtf16(String s) {
        try {
            StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new AssertionError("not valid UTF-16: " + s, e);
        }
    }
}
