package app.parley.join.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ClientLibraryPatchesTest {

    @Test
    void theJarOnTheClassPathIsTheVersionThePatchesWereWrittenAgainst() {
        assertEquals(ClientLibraryPatches.WRITTEN_AGAINST, ClientLibraryPatches.versionOnClassPath());
        assertTrue(ClientLibraryPatches.enabled());
    }

    @Test
    void anotherVersionTurnsThePatchesOffAndLogsOnce() {
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        List<LogRecord> records = new ArrayList<>();
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        assertFalse(ClientLibraryPatches.check("2.1.3", log));
        assertTrue(ClientLibraryPatches.check("2.1.2", log));
        assertEquals(1, records.size());
    }
}
