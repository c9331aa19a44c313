package app.parley.app;

import app.parley.testing.RawClient;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the GUI tests do alike: a free port, waiting for the window, hosting from the start screen. */
final class AppGui {
    private AppGui() {}

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void waitUntil(BooleanSupplier condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(RawClient.WAIT_SECONDS, TimeUnit.SECONDS, condition::getAsBoolean);
    }

    /** The header's "You connected with id: …", or empty while the chat is not shown. */
    static String myIdText(FxRobot robot) {
        return robot.lookup("#my-id")
                .tryQueryAs(Label.class)
                .map(Label::getText)
                .orElse("");
    }

    /** Hosts on a free port through the start screen, as a person would; returns once the window is connected. */
    static int hostThroughUi(FxRobot robot) throws Exception {
        int port = freePort();
        robot.clickOn("#host-port").type(KeyCode.END).eraseText(10).write(String.valueOf(port));
        robot.clickOn("#host-button");
        waitUntil(() -> myIdText(robot).startsWith("You connected with id: "));
        return port;
    }
}
