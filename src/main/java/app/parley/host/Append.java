package app.parley.host;

import app.parley.store.NewMessage;
import app.parley.store.StoredMessage;
import java.util.function.Consumer;

/** A message handed to the {@link History} and what to call as it is committed, synced, or refused. */
record Append(
        NewMessage message, Consumer<StoredMessage> stored, Consumer<StoredMessage> durable, Consumer<String> failed) {}
