package app.parley.join;

import app.parley.protocol.ChatEvents;
import app.parley.protocol.ChatMessage;
import app.parley.protocol.MessageKind;
import app.parley.protocol.SharedFile;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

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

    /**
     * A host that answers each {@code file-read} of {@code bytes} with at most {@code most} bytes
     * (§15.3), telling {@code asked} each length it is asked for.
     */
    static ScriptedWire reads(Executor eventThread, byte[] bytes, String sha256, int most, IntConsumer asked) {
        return new ScriptedWire(eventThread) {
            @Override
            List<Object> answer(String event, List<Object> args) {
                if (!event.equals(ChatEvents.FILE_READ)) {
                    return null;
                }
                Map<?, ?> read = (Map<?, ?>) args.get(0);
                int offset = ((Number) read.get("offset")).intValue();
                int wanted = ((Number) read.get("length")).intValue();
                asked.accept(wanted);
                int length = Math.min(most, wanted);
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("ok", true);
                meta.put("offset", offset);
                meta.put("size", bytes.length);
                meta.put("sha256", sha256);
                return List.of(meta, Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + length)));
            }
        };
    }

    /** A message to everyone from Ann carrying {@code file}, as a host routes one. */
    static ChatMessage fileMessage(SharedFile file) {
        return new ChatMessage(
                "📎 " + file.name(),
                "ann",
                MessageKind.EVERYONE,
                null,
                Instant.now(),
                "m1",
                "Ann",
                1,
                false,
                "*",
                "u:ann",
                "c1",
                file);
    }

    /** A refusal as a host sends one (§4.3). */
    static Map<String, Object> refusal(String event, String error) {
        return Map.of("ok", false, "event", event, "error", error);
    }
}
