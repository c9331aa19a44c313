package app.parley.engine.patch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NettySocketIoPatchesTest {

    @Test
    void theJarOnTheClassPathIsTheVersionThePatchesWereWrittenAgainst() {
        assertEquals(NettySocketIoPatches.WRITTEN_AGAINST, NettySocketIoPatches.versionOnClassPath());
        assertDoesNotThrow(NettySocketIoPatches::requireWrittenAgainstVersion);
    }

    @Test
    void anotherVersionStopsTheHostWithOneSentence() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> NettySocketIoPatches.requireVersion("2.0.15"));
        assertEquals(
                "Parley's host was written against netty-socketio 2.0.14 but 2.0.15 is on the class"
                        + " path; see app.parley.engine.patch",
                e.getMessage());
    }
}
