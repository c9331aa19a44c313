/**
 * Several hosts as one session over Redis: the wire format of the official
 * {@code @socket.io/redis-streams-adapter} (one Redis stream for what every server must see in
 * order, Redis pub/sub for requests and their answers), so Parley hosts and Node {@code socket.io}
 * servers using that adapter share rooms and deliveries (docs/PROTOCOL.md §19). Nothing of Parley:
 * the host decides what its sockets do with what arrives.
 */
package app.parley.cluster;
