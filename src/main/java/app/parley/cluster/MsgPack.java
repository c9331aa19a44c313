package app.parley.cluster;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Plain values to and from msgpack, as {@code @msgpack/msgpack} writes them for the Node adapters:
 * maps with text keys, arrays, text, bytes ({@code byte[]}, Node's {@code Buffer}), numbers,
 * booleans and nil. Reading is bounded: a nesting deeper than {@value #MAX_DEPTH} or an
 * extension type is refused, never followed.
 */
final class MsgPack {
    static final int MAX_DEPTH = 32;

    private MsgPack() {}

    static byte[] pack(Object value) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, value, 0);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("msgpack into memory failed", e);
        }
    }

    static Object unpack(byte[] bytes) throws ClusterWireException {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            Object value = read(unpacker, 0, bytes.length);
            if (unpacker.hasNext()) {
                throw new ClusterWireException("msgpack: bytes after the value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new ClusterWireException("msgpack: " + e.getMessage());
        }
    }

    private static void write(MessageBufferPacker out, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            out.packNil();
        } else if (value instanceof Boolean b) {
            out.packBoolean(b);
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            out.packLong(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            out.packBigInteger(big);
        } else if (value instanceof Float f) {
            out.packFloat(f);
        } else if (value instanceof Number n) {
            out.packDouble(n.doubleValue());
        } else if (value instanceof CharSequence text) {
            out.packString(text.toString());
        } else if (value instanceof byte[] bytes) {
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (value instanceof Map<?, ?> map) {
            out.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.packString(String.valueOf(e.getKey()));
                write(out, e.getValue(), depth + 1);
            }
        } else if (value instanceof List<?> list) {
            out.packArrayHeader(list.size());
            for (Object item : list) {
                write(out, item, depth + 1);
            }
        } else if (value instanceof Object[] array) {
            write(out, java.util.Arrays.asList(array), depth);
        } else {
            out.packString(value.toString());
        }
    }

    /** {@code size}: the whole input's length, which no length inside it may claim to exceed. */
    private static Object read(MessageUnpacker in, int depth, int size) throws IOException, ClusterWireException {
        if (depth > MAX_DEPTH) {
            throw new ClusterWireException("msgpack nested deeper than " + MAX_DEPTH);
        }
        MessageFormat format = in.getNextFormat();
        return switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                yield null;
            }
            case BOOLEAN -> in.unpackBoolean();
            case INTEGER -> format == MessageFormat.UINT64 ? in.unpackBigInteger() : in.unpackLong();
            case FLOAT -> in.unpackDouble();
            case STRING -> in.unpackString();
            case BINARY -> in.readPayload(within(in.unpackBinaryHeader(), size));
            case ARRAY -> {
                int count = within(in.unpackArrayHeader(), size);
                List<Object> list = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    list.add(read(in, depth + 1, size));
                }
                yield list;
            }
            case MAP -> {
                int count = within(in.unpackMapHeader(), size);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    Object key = read(in, depth + 1, size);
                    map.put(String.valueOf(key), read(in, depth + 1, size));
                }
                yield map;
            }
            case EXTENSION -> throw new ClusterWireException("msgpack extension types are not read");
        };
    }

    private static int within(int claimed, int size) throws ClusterWireException {
        if (claimed < 0 || claimed > size) {
            throw new ClusterWireException("msgpack claims " + claimed + " items or bytes in " + size + " bytes");
        }
        return claimed;
    }
}
