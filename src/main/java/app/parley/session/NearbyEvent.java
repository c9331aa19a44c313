package app.parley.session;

/** What browsing the local network reports: a session appeared (or changed), or went away. */
public sealed interface NearbyEvent {

    /** A session was found, or one already found changed (same {@link NearbySession#key()}). */
    record Found(NearbySession session) implements NearbyEvent {}

    /** The session with this key said goodbye or stopped answering. */
    record Lost(String key) implements NearbyEvent {}
}
