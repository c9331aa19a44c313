package app.parley.ui;

import app.parley.protocol.Target;

/**
 * An entry of the "send to" chooser: a wire target, or the host's announcement to everyone
 * including itself.
 */
public record TargetChoice(Target target, boolean announcement) {
    public static final TargetChoice EVERYONE = new TargetChoice(Target.EVERYONE, false);
    public static final TargetChoice ANNOUNCE = new TargetChoice(Target.EVERYONE, true);

    public static TargetChoice room(String name) {
        return new TargetChoice(new Target.Room(name), false);
    }

    public static TargetChoice person(String socketId) {
        return new TargetChoice(new Target.Direct(socketId), false);
    }

    @Override
    public String toString() {
        if (announcement) {
            return "Announcement (everyone, you too)";
        }
        if (target instanceof Target.Room room) {
            return "Room #" + room.name();
        }
        if (target instanceof Target.Direct direct) {
            return "Person " + direct.socketId();
        }
        return "Everyone";
    }
}
