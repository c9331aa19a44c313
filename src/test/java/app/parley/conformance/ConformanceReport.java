package app.parley.conformance;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the conformance checks against a running server, one after another, and reports one line
 * per check ({@code PASS name} / {@code FAIL name: reason}) and a summary
 * ({@code engine.io N/25, socket.io M/32}). Nothing here assumes the server is Node.js.
 *
 * <pre>
 *   java -cp target/test-classes:target/classes:&lt;test classpath&gt; app.parley.conformance.ConformanceReport \
 *        PORT|http://host:port [--only engine|socket]
 * </pre>
 *
 * Exit code 0 only if every check that ran passed; 1 if one failed; 2 on a usage error.
 */
public final class ConformanceReport {
    /** The outcome of one check. */
    public record Result(Check check, Throwable failure, Duration took) {
        public boolean passed() {
            return failure == null;
        }

        /** {@code PASS name} or {@code FAIL name: reason}, on one line. */
        public String line() {
            return passed() ? "PASS " + check.fullName() : "FAIL " + check.fullName() + ": " + reason(failure);
        }
    }

    private final List<Result> results = new ArrayList<>();

    private ConformanceReport() {}

    /** The checks of the chosen suites ({@code null}: both), engine.io first. */
    public static List<Check> checks(String only) {
        List<Check> checks = new ArrayList<>();
        if (only == null || only.equals("engine")) {
            checks.addAll(EngineIoChecks.all());
        }
        if (only == null || only.equals("socket")) {
            checks.addAll(SocketIoChecks.all());
        }
        return checks;
    }

    /** Runs {@code check} once against {@code base}; never throws (except on interruption). */
    public static Result run(Check check, URI base) {
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            check.body().run(base);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (Exception | AssertionError e) {
            failure = e;
        }
        return new Result(check, failure, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Runs {@code checks} one after another, handing each result to {@code onEach}. */
    public static ConformanceReport runAll(List<Check> checks, URI base, Consumer<Result> onEach) {
        ConformanceReport report = new ConformanceReport();
        for (Check check : checks) {
            Result result = run(check, base);
            report.results.add(result);
            onEach.accept(result);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return report;
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    public boolean allPassed() {
        return results.stream().allMatch(Result::passed);
    }

    /** "engine.io N/25, socket.io M/32", naming only the suites that ran. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (String suite : List.of("engine.io", "socket.io")) {
            long ran = results.stream()
                    .filter(r -> r.check().suite().equals(suite))
                    .count();
            if (ran > 0) {
                long passed = results.stream()
                        .filter(r -> r.check().suite().equals(suite) && r.passed())
                        .count();
                int total = suite.equals("engine.io")
                        ? EngineIoChecks.all().size()
                        : SocketIoChecks.all().size();
                parts.add(suite + " " + passed + "/" + total);
            }
        }
        return String.join(", ", parts);
    }

    /** A failure's message on one line, with its type when that says more than the message. */
    static String reason(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank()
                ? failure.getClass().getName()
                : (failure instanceof AssertionError ? "" : failure.getClass().getSimpleName() + ": ") + message;
        return text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** {@link #main} without the exit, for tests: returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String target = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--only") && i + 1 < args.length) {
                only = args[++i];
            } else if (arg.startsWith("--only=")) {
                only = arg.substring("--only=".length());
            } else if (target == null && !arg.startsWith("--")) {
                target = arg;
            } else {
                return usage(err, "unexpected argument \"" + arg + "\"");
            }
        }
        if (target == null) {
            return usage(err, "missing port");
        }
        if (only != null && !only.equals("engine") && !only.equals("socket")) {
            return usage(err, "--only takes engine or socket, not \"" + only + "\"");
        }
        URI base;
        try {
            base = target.matches("\\d+")
                    ? URI.create("http://127.0.0.1:" + Integer.parseInt(target))
                    : URI.create(target.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            return usage(err, "not a port or URL: \"" + target + "\"");
        }
        out.println("conformance checks against " + base);
        ConformanceReport report = runAll(checks(only), base, result -> {
            out.println(result.line());
            out.flush();
        });
        out.println(report.summary());
        return report.allPassed() ? 0 : 1;
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println("usage: ConformanceReport PORT|http://host:port [--only engine|socket]");
        return 2;
    }
}
