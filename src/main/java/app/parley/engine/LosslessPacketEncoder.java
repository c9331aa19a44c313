package app.parley.engine;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.protocol.JsonSupport;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.Queue;

/**
 * netty-socketio's packet encoder without its polling packet loss.
 *
 * <p>A long-polling response carries at most {@code limit} packets (the library passes 50). In
 * netty-socketio 2.0.14 {@code PacketEncoder.encodePackets} and {@code encodeJsonP} loop
 * {@code packet = queue.poll(); if (packet == null || i == limit) break;}: once the limit is
 * reached the next packet has already been taken off the client's queue, and it is dropped. So
 * every poll response that hits the limit silently loses one packet (a burst of 200 room
 * messages to a polling client loses 3; a client with more than 50 queued {@code peers} updates
 * can lose its CONNECT reply and never connect). Here the library gets a view of the queue that
 * runs dry after {@code limit} packets, so it never takes one it will not send; the rest stay
 * queued for the next poll, as the library intends.
 */
final class LosslessPacketEncoder extends PacketEncoder {

    LosslessPacketEncoder(Configuration configuration, JsonSupport jsonSupport) {
        super(configuration, jsonSupport);
    }

    @Override
    public void encodePackets(Queue<Packet> packets, ByteBuf buffer, ByteBufAllocator allocator, int limit)
            throws IOException {
        super.encodePackets(new FirstPackets(packets, limit), buffer, allocator, limit);
    }

    @Override
    public void encodeJsonP(Integer jsonpIndex, Queue<Packet> packets, ByteBuf out, ByteBufAllocator allocator,
            int limit) throws IOException {
        super.encodeJsonP(jsonpIndex, new FirstPackets(packets, limit), out, allocator, limit);
    }

    /** Hands out at most {@code limit} packets of the underlying queue, then reports it empty. */
    private static final class FirstPackets extends AbstractQueue<Packet> {
        private final Queue<Packet> queue;
        private int left;

        FirstPackets(Queue<Packet> queue, int limit) {
            this.queue = queue;
            this.left = limit;
        }

        @Override
        public Packet poll() {
            if (left <= 0) {
                return null;
            }
            Packet packet = queue.poll();
            if (packet != null) {
                left--;
            }
            return packet;
        }

        @Override
        public Packet peek() {
            return left <= 0 ? null : queue.peek();
        }

        @Override
        public boolean offer(Packet packet) {
            throw new UnsupportedOperationException("read-only view of a client's packet queue");
        }

        @Override
        public int size() {
            return left <= 0 ? 0 : Math.min(left, queue.size());
        }

        @Override
        public Iterator<Packet> iterator() {
            throw new UnsupportedOperationException("read-only view of a client's packet queue");
        }
    }
}
