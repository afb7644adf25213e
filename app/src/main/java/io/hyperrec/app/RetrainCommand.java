package io.hyperrec.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyperrec retrain}: asks a running hyperrec (the demo, or any server with a retrain
 * scheduler) to retrain now through {@code POST /v1/retrains}, then follows the retrain until it is
 * published or rejected. When one is already running it waits for that one and then starts a new
 * one, so the retrain it reports has read everything sent before the command ran.
 *
 * <p>Exit status: 0 published, 1 rejected by the quality gate or failed, 2 on a usage or connection
 * error.
 */
@Command(
        name = "retrain",
        mixinStandardHelpOptions = true,
        description = {
            "Retrain the live model now: the running hyperrec's RetrainJob reads every interaction",
            "so far, trains the next version, gates it against the live one and publishes it if it",
            "passes. Follows it to the end unless --no-wait."
        })
final class RetrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--server",
            defaultValue = "http://127.0.0.1:8080",
            paramLabel = "URL",
            description = "The running hyperrec's HTTP API (default ${DEFAULT-VALUE}).")
    String server;

    @Option(
            names = "--no-wait",
            description = "Return once the retrain has started instead of following it.")
    boolean noWait;

    @Option(
            names = "--timeout",
            defaultValue = "PT2H",
            paramLabel = "DURATION",
            description =
                    "Give up following after this long, ISO-8601 (default ${DEFAULT-VALUE}); the"
                            + " retrain itself goes on.")
    Duration timeout;

    @Option(
            names = "--poll",
            defaultValue = "PT2S",
            paramLabel = "DURATION",
            description = "How often to ask for the retrain's status (default ${DEFAULT-VALUE}).")
    Duration poll;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private HttpClient http;
    private URI base;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        base = parseServer(server);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("--poll must be positive, got " + poll);
        }
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode started = startRetrain(deadline);
        long version = started.path("version").asLong();
        out.printf(
                "retrain of version %d started on %s (trigger %s)%n",
                version, base, started.path("trigger").asText());
        if (noWait) {
            out.printf("follow it with: curl %s%n", base.resolve("/v1/retrains/" + version));
            return 0;
        }
        JsonNode done = awaitFinished(version, deadline);
        String state = done.path("state").asText();
        out.printf(
                "retrain of version %d %s after %.1f s on %,d interactions: %s%n",
                version,
                state,
                (done.path("finishedAt").asLong() - done.path("startedAt").asLong()) / 1e3,
                done.path("interactions").asLong(),
                done.path("reason").asText());
        JsonNode m = done.path("metrics");
        if (m.has("valid_recall@20")) {
            out.printf(
                    "  validation R@20 %.4f N@20 %.4f | test R@20 %.4f N@20 %.4f%n",
                    m.path("valid_recall@20").asDouble(),
                    m.path("valid_ndcg@20").asDouble(),
                    m.path("test_recall@20").asDouble(),
                    m.path("test_ndcg@20").asDouble());
        }
        return "PUBLISHED".equals(state) ? 0 : 1;
    }

    /** POSTs the request; while another retrain runs, follows it and asks again. */
    private JsonNode startRetrain(long deadline) throws Exception {
        while (true) {
            HttpResponse<String> r =
                    send(
                            HttpRequest.newBuilder(base.resolve("/v1/retrains"))
                                    .POST(HttpRequest.BodyPublishers.noBody()));
            if (r.statusCode() == 202) {
                return JSON.readTree(r.body());
            }
            JsonNode body = parse(r);
            if (r.statusCode() == 409 && body.has("running")) {
                long running = body.path("running").path("version").asLong();
                out.printf(
                        "the retrain of version %d is running; waiting for it, then starting a"
                                + " new one%n",
                        running);
                awaitFinished(running, deadline);
                continue;
            }
            throw new IllegalStateException(
                    "POST "
                            + base.resolve("/v1/retrains")
                            + " answered "
                            + r.statusCode()
                            + ": "
                            + body.path("error").asText(r.body()));
        }
    }

    private JsonNode awaitFinished(long version, long deadline) throws Exception {
        long start = System.nanoTime();
        long lastLine = start;
        while (true) {
            HttpResponse<String> r =
                    send(HttpRequest.newBuilder(base.resolve("/v1/retrains/" + version)).GET());
            JsonNode s = parse(r);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET /v1/retrains/"
                                + version
                                + " answered "
                                + r.statusCode()
                                + ": "
                                + s.path("error").asText(r.body()));
            }
            if (!"RUNNING".equals(s.path("state").asText())) {
                return s;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(
                        "gave up after --timeout "
                                + timeout
                                + ": the retrain of version "
                                + version
                                + " is still running (it goes on; GET "
                                + base.resolve("/v1/retrains/" + version)
                                + ")");
            }
            if (now - lastLine >= 10_000_000_000L) {
                lastLine = now;
                out.printf(
                        "  version %d still training: %.0f s so far%n",
                        version, (now - start) / 1e9);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws InterruptedException {
        try {
            return http.send(
                    request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException(
                    "no hyperrec server answers at "
                            + base
                            + " (connection refused): start one with `hyperrec demo`, or pass"
                            + " --server URL");
        } catch (IOException e) {
            throw new IllegalStateException(
                    "talking to "
                            + base
                            + " failed: "
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage());
        }
    }

    private static JsonNode parse(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the server answered "
                            + r.statusCode()
                            + " with something that is not JSON: "
                            + r.body());
        }
    }

    static URI parseServer(String raw) {
        URI u;
        try {
            u = URI.create(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--server must be an http(s) URL such as http://127.0.0.1:8080, got '"
                            + raw
                            + "'");
        }
        if (u.getScheme() == null
                || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw new IllegalArgumentException(
                    "--server must be an http(s) URL such as http://127.0.0.1:8080, got '"
                            + raw
                            + "'");
        }
        return u;
    }
}
