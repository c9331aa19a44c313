package app.parley.engine;

import com.corundumstudio.socketio.AckCallback;
import com.corundumstudio.socketio.protocol.AckArgs;
import com.corundumstudio.socketio.protocol.Event;
import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * netty-socketio's JSON support, plus what Node's {@code socket.onAny} gives: an event with a
 * name nobody registered is not decoded to an empty, undeliverable event (the library's
 * behaviour) but handed over whole as one {@link CustomEvent} under {@link #CUSTOM_EVENT}.
 * Only the event name is peeked for registered events, so the common path parses once.
 */
public final class CatchAllJsonSupport implements JsonSupport {
    /** Internal event name under which unregistered events arrive; never on the wire. */
    public static final String CUSTOM_EVENT = "\u0000parley-custom";

    /** An event with a name nobody registered, with its arguments as plain JSON values. */
    public record CustomEvent(String name, List<Object> args) {}

    private final JacksonJsonSupport delegate = new JacksonJsonSupport();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    @Override
    public <T> T readValue(String namespace, ByteBufInputStream in, Class<T> type) throws IOException {
        if (type != Event.class) {
            return delegate.readValue(namespace, in, type);
        }
        in.mark(Integer.MAX_VALUE);
        String name = peekEventName(in);
        in.reset();
        if (name == null || registered.contains(namespace + '\u0000' + name)) {
            return delegate.readValue(namespace, in, type);
        }
        List<?> array = mapper.readValue((java.io.InputStream) in, List.class);
        List<Object> args = new ArrayList<>(array.subList(1, array.size()));
        return type.cast(new Event(CUSTOM_EVENT, List.of(new CustomEvent(name, args))));
    }

    private String peekEventName(ByteBufInputStream in) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser((java.io.InputStream) in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            return parser.nextToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
    }

    /**
     * The event netty-socketio should see for a packet decoded elsewhere (a binary one): as is when
     * a listener is registered for its name, else wrapped as a {@link CustomEvent}.
     */
    Event event(String namespace, String name, List<Object> args) {
        if (!registered.contains(namespace + '\u0000' + name)) {
            return new Event(CUSTOM_EVENT, List.of(new CustomEvent(name, args)));
        }
        return new Event(name, args);
    }

    @Override
    public AckArgs readAckArgs(ByteBufInputStream in, AckCallback<?> callback) throws IOException {
        return delegate.readAckArgs(in, callback);
    }

    @Override
    public void writeValue(ByteBufOutputStream out, Object value) throws IOException {
        delegate.writeValue(out, value);
    }

    @Override
    public void addEventMapping(String namespace, String eventName, Class<?>... eventClass) {
        registered.add(namespace + '\u0000' + eventName);
        delegate.addEventMapping(namespace, eventName, eventClass);
    }

    @Override
    public void removeEventMapping(String namespace, String eventName) {
        registered.remove(namespace + '\u0000' + eventName);
        delegate.removeEventMapping(namespace, eventName);
    }

    @Override
    public List<byte[]> getArrays() {
        return delegate.getArrays();
    }
}
