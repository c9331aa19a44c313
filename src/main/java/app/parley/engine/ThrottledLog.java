package app.parley.engine;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A kind of log line that a peer can cause, written at a bounded rate: at most
 * {@link #LINES_PER_SECOND} a second (in bursts of as many), and the lines held back are counted
 * and reported once, {@link #SUMMARY_SECONDS} seconds after the first of them, as
 * "… and 1,234 more like this in the last 10 s". Every argument is shown through
 * {@link #peerText}: control characters escaped, at most {@link #PEER_TEXT_LIMIT} characters, so a
 * peer can neither fill the disk nor forge a line. Example:
 *
 * <pre>{@code
 * ThrottledLog.info(LOG, "refused origins").log("Refused a connection from browser origin {}", origin);
 * }</pre>
 *
 * <p>Instances are shared per logger and kind, so a call site needs no field of its own.
 */
public final class ThrottledLog {
    public static final int LINES_PER_SECOND = 5;
    public static final int SUMMARY_SECONDS = 10;
    public static final int PEER_TEXT_LIMIT = 80;

    private static final Map<String, ThrottledLog> SHARED = new ConcurrentHashMap<>();

    /** Where admitted lines go; {@code trace} is null unless the line asked for one. */
    @FunctionalInterface
    interface Sink {
        void write(String line, Throwable trace);
    }

    private final String kind;
    private final Sink sink;
    private final TokenBucket budget = new TokenBucket(LINES_PER_SECOND, LINES_PER_SECOND);
    private long heldBack; // guarded by this

    ThrottledLog(String kind, Sink sink) {
        this.kind = kind;
        this.sink = sink;
    }

    /** Lines of {@code kind} at INFO on {@code logger}. */
    public static ThrottledLog info(Logger logger, String kind) {
        return SHARED.computeIfAbsent(
                logger.getName() + " INFO " + kind,
                key -> new ThrottledLog(kind, (line, trace) -> {
                    if (trace == null) {
                        logger.info(line);
                    } else {
                        logger.info(line, trace);
                    }
                }));
    }

    /** Lines of {@code kind} at WARN on {@code logger}. */
    public static ThrottledLog warn(Logger logger, String kind) {
        return SHARED.computeIfAbsent(
                logger.getName() + " WARN " + kind,
                key -> new ThrottledLog(kind, (line, trace) -> {
                    if (trace == null) {
                        logger.warn(line);
                    } else {
                        logger.warn(line, trace);
                    }
                }));
    }

    /** Lines of {@code kind} printed on {@code out} (a headless host's console); never a stack trace. */
    public static ThrottledLog printed(PrintStream out, String kind) {
        return SHARED.computeIfAbsent(
                System.identityHashCode(out) + " PRINT " + kind,
                key -> new ThrottledLog(kind, (line, trace) -> out.println(line)));
    }

    /** Writes {@code format} with each {@code {}} replaced by the next argument as {@link #peerText}, if the rate allows. */
    public void log(String format, Object... args) {
        write(null, format, args);
    }

    /**
     * As {@link #log}, with the stack trace of {@code error}: for failures nobody expected, which
     * a peer may still be able to cause again and again.
     */
    public void failure(Throwable error, String format, Object... args) {
        write(error, format, args);
    }

    private void write(Throwable trace, String format, Object... args) {
        if (!budget.tryTake()) {
            boolean first;
            synchronized (this) {
                first = heldBack++ == 0;
            }
            if (first) {
                Summaries.TIMER.schedule(this::summarize, SUMMARY_SECONDS, TimeUnit.SECONDS);
            }
            return;
        }
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = peerText(args[i]);
        }
        sink.write(MessageFormatter.basicArrayFormat(format, shown), trace);
    }

    /** Reports the lines held back since the first of them, if any. */
    void summarize() {
        long count;
        synchronized (this) {
            count = heldBack;
            heldBack = 0;
        }
        if (count > 0) {
            sink.write(
                    String.format("… and %,d more like this (%s) in the last %d s", count, kind, SUMMARY_SECONDS),
                    null);
        }
    }

    /**
     * {@code value} as a log may show what a peer sent: control, format (bidi, zero-width) and
     * line-separator characters as {@code \}{@code uXXXX}, and only the first
     * {@link #PEER_TEXT_LIMIT} characters of that, followed by the full length.
     */
    public static String peerText(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(text.length(), PEER_TEXT_LIMIT) + 24);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            String shown = isSafe(c) ? new String(Character.toChars(c)) : escaped(text.charAt(i));
            if (out.length() + shown.length() > PEER_TEXT_LIMIT) {
                return out.append(String.format("…(%,d characters)", text.length()))
                        .toString();
            }
            out.append(shown);
            i += isSafe(c) ? Character.charCount(c) : 1;
        }
        return out.toString();
    }

    /** {@code text} with every character that could start a line or move the terminal's cursor escaped. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (isSafe(c)) {
                out.appendCodePoint(c);
                i += Character.charCount(c);
            } else {
                out.append(escaped(text.charAt(i)));
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isSafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> false;
            default -> true;
        };
    }

    private static String escaped(char c) {
        return String.format("\\u%04x", (int) c);
    }

    /** One daemon thread for every summary, started only once a line is held back. */
    private static final class Summaries {
        static final ScheduledExecutorService TIMER = timer();

        private static ScheduledExecutorService timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "parley-log-summaries");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
