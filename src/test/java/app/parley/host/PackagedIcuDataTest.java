package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.text.SpoofChecker;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The installer's icu4j keeps only the data files {@code jpackage/build.sh} lists in
 * {@code icu_keep}: here {@link LookAlikes} runs, with the real icu4j jar, in a class loader that
 * hides every other file of ICU's data directory, and must give the same keys and ask for
 * nothing hidden. Using more of ICU without keeping its data fails here, not in the installed host.
 */
class PackagedIcuDataTest {
    private static final Path BUILD_SCRIPT = Path.of("jpackage/build.sh");

    /** Only what the package ships of ICU's data directory; records everything else asked for. */
    private static final class PackagedIcu extends URLClassLoader {
        private final String dataDir;
        private final Set<String> kept;
        final Set<String> hiddenButAsked = Collections.synchronizedSet(new TreeSet<>());

        PackagedIcu(URL[] urls, String dataDir, Set<String> kept) {
            super(urls, ClassLoader.getPlatformClassLoader());
            this.dataDir = dataDir + "/";
            this.kept = kept;
        }

        private boolean hidden(String name) {
            return name.startsWith(dataDir) && !kept.contains(name.substring(dataDir.length()));
        }

        @Override
        public URL findResource(String name) {
            if (hidden(name)) {
                hiddenButAsked.add(name);
                return null;
            }
            return super.findResource(name);
        }

        @Override
        public Enumeration<URL> findResources(String name) throws java.io.IOException {
            if (hidden(name)) {
                hiddenButAsked.add(name);
                return Collections.emptyEnumeration();
            }
            return super.findResources(name);
        }
    }

    @Test
    void lookAlikesNeedOnlyTheIcuDataThePackageKeeps() throws Exception {
        String script = Files.readString(BUILD_SCRIPT);
        String dataDir = shellValue(script, "icu_data=(\\S+)");
        Set<String> kept = Set.copyOf(Arrays.asList(
                shellValue(script, "icu_keep=\\(([^)]*)\\)").trim().split("\\s+")));
        assertThat(kept).as("icu_keep in " + BUILD_SCRIPT).isNotEmpty();

        URL[] urls = {
            LookAlikes.class.getProtectionDomain().getCodeSource().getLocation(),
            SpoofChecker.class.getProtectionDomain().getCodeSource().getLocation(),
        };
        List<String> names = List.of(
                "bob",
                "b\u043eb",
                "\uff42\uff4f\uff42",
                "B0B",
                "Il1",
                "\u0130stanbul",
                "\u1e9e\u00df",
                "\ufb01",
                "\u2163",
                "\ud835\udd05\ud835\udd2c\ud835\udd1f",
                "b\u200bo\u202eb",
                "");
        try (PackagedIcu loader = new PackagedIcu(urls, dataDir, kept)) {
            try {
                Method packagedKeys =
                        Class.forName(LookAlikes.class.getName(), true, loader).getDeclaredMethod("keys", String.class);
                packagedKeys.setAccessible(true);
                for (String name : names) {
                    assertThat(packagedKeys.invoke(null, name)).as(name).isEqualTo(LookAlikes.keys(name));
                }
            } finally {
                // ICU fails on a missing data file with "could not locate data"; name the file.
                assertThat(loader.hiddenButAsked)
                        .as("ICU data LookAlikes asked for that the package drops")
                        .isEmpty();
            }
        }
    }

    private static String shellValue(String script, String regex) {
        Matcher matcher = Pattern.compile("(?m)^" + regex).matcher(script);
        assertThat(matcher.find()).as(regex + " in " + BUILD_SCRIPT).isTrue();
        return matcher.group(1);
    }
}
