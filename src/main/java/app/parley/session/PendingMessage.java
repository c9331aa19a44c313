package app.parley.session;

import app.parley.protocol.Target;

/** A message in the outbox: sent, not yet acknowledged by the host. */
public record PendingMessage(String clientId, Target target, String text) {}
