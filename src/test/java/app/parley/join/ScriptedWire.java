package app.parley.join;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A host as far as file transfers go, for what a real connection cannot be made to do on cue: it
 * answers each event on a thread of its own, as the socket's EventThread does, and a subclass says
 * what (PROTOCOL §15).
 */
abstract class ScriptedWire implements FileTransfers.Wire {
    private final Executor eventThread;

    ScriptedWire(Executor eventThread) {
        this.eventThread = eventThread;
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void emit(String event, List<Object> args, BooleanSupplier current, Consumer<List<Object>> onAck) {
        eventThread.execute(() -> {
            if (!current.getAsBoolean()) {
                return;
            }
            List<Object> answer = answer(event, args);
            if (answer != null) {
                onAck.accept(answer);
            }
        });
    }

    /** The ack's arguments, or null for none: an ack lost on the way. */
    abstract List<Object> answer(String event, List<Object> args);

    /** A refusal as a host sends one (§4.3). */
    static Map<String, Object> refusal(String event, String error) {
        return Map.of("ok", false, "event", event, "error", error);
    }
}
