package io.hyperrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.store.ModelStore;
import io.hyperrec.store.http.EventSink;
import io.hyperrec.store.http.InteractionEvent;
import io.hyperrec.store.http.NewItemEvent;
import io.hyperrec.store.http.RetrainControl;
import io.hyperrec.store.http.RetrainStatus;
import io.hyperrec.store.http.ServerOptions;
import io.hyperrec.store.http.ServingMetrics;
import io.hyperrec.store.http.ServingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hyperrec retrain} against a real HTTP server whose retrain scheduler is scripted. */
class RetrainCommandTest {
    @TempDir Path dir;

    private ModelStore store;
    private ServingServer server;
    private ScriptedRetrains retrains;

    /** Retrains finish after a few status requests, in the state the test chose. */
    static final class ScriptedRetrains implements RetrainControl {
        final List<RetrainStatus> all = new ArrayList<>();
        RetrainStatus.State outcome = RetrainStatus.State.PUBLISHED;
        int pollsUntilDone = 2;
        private int polls;

        @Override
        public synchronized RetrainStatus start(String trigger) {
            for (RetrainStatus s : all) {
                if (!s.state().finished()) {
                    throw new Busy(s);
                }
            }
            RetrainStatus s = RetrainStatus.running(all.size() + 2, trigger, 10_000L);
            all.add(s);
            polls = 0;
            return s;
        }

        /** A retrain started by someone else (the scheduler's triggers), still running. */
        synchronized void startedElsewhere() {
            all.add(RetrainStatus.running(all.size() + 2, "interactions", 5_000L));
            polls = 0;
        }

        @Override
        public synchronized List<RetrainStatus> history() {
            return List.copyOf(all);
        }

        @Override
        public synchronized Optional<RetrainStatus> status(long version) {
            int i = (int) version - 2;
            if (i < 0 || i >= all.size()) {
                return Optional.empty();
            }
            RetrainStatus s = all.get(i);
            if (!s.state().finished() && ++polls >= pollsUntilDone) {
                s =
                        s.finish(
                                outcome,
                                s.startedAt() + 12_500L,
                                outcome == RetrainStatus.State.PUBLISHED
                                        ? "accepted: gate R@20 0.2000 (new) vs 0.1900 (live)"
                                        : "rejected: gate R@20 0.1000 (new) vs 0.1900 (live)",
                                Map.of(
                                        "valid_recall@20", 0.21,
                                        "valid_ndcg@20", 0.11,
                                        "test_recall@20", 0.2,
                                        "test_ndcg@20", 0.1),
                                4321);
                all.set(i, s);
            }
            return Optional.of(s);
        }
    }

    private static final EventSink NO_EVENTS =
            new EventSink() {
                @Override
                public void sendInteraction(InteractionEvent event) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void sendItem(NewItemEvent event) {
                    throw new UnsupportedOperationException();
                }
            };

    @BeforeEach
    void setUp() {
        store = ModelStore.open(dir);
        retrains = new ScriptedRetrains();
        server =
                ServingServer.start(
                        store,
                        NO_EVENTS,
                        new ServingMetrics(store, Clock.systemUTC()),
                        ServerOptions.builder().host("127.0.0.1").port(0).build(),
                        retrains);
    }

    @AfterEach
    void tearDown() {
        server.close();
        store.close();
    }

    private String[] run(String... args) {
        CommandLine cl = HyperrecCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void followsTheRetrainUntilItIsPublished() {
        String[] r = run("retrain", "--server", url(), "--poll", "PT0.01S");

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("retrain of version 2 started on " + url() + " (trigger manual)")
                .contains(
                        "retrain of version 2 PUBLISHED after 12.5 s on 4,321 interactions:"
                                + " accepted")
                .contains("validation R@20 0.2100 N@20 0.1100 | test R@20 0.2000 N@20 0.1000");
        assertThat(retrains.history()).singleElement().matches(s -> s.trigger().equals("manual"));
    }

    @Test
    void aRejectedRetrainExitsWithOne() {
        retrains.outcome = RetrainStatus.State.REJECTED;

        String[] r = run("retrain", "--server", url(), "--poll", "PT0.01S");

        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("retrain of version 2 REJECTED").contains("rejected: gate");
    }

    @Test
    void waitsForARunningRetrainThenStartsItsOwn() {
        retrains.startedElsewhere();

        String[] r = run("retrain", "--server", url(), "--poll", "PT0.01S");

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("the retrain of version 2 is running; waiting for it")
                .contains("retrain of version 3 started")
                .contains("retrain of version 3 PUBLISHED");
        assertThat(retrains.history())
                .extracting(RetrainStatus::trigger)
                .containsExactly("interactions", "manual");
    }

    @Test
    void noWaitReturnsOnceStarted() {
        retrains.pollsUntilDone = 1_000;

        String[] r = run("retrain", "--server", url(), "--no-wait");

        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("follow it with: curl " + url() + "/v1/retrains/2");
        assertThat(retrains.history())
                .singleElement()
                .matches(s -> s.state() == RetrainStatus.State.RUNNING);
    }

    @Test
    void aServerThatIsNotThereIsNamed() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }

        String[] r = run("retrain", "--server", "http://127.0.0.1:" + free);

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .contains("no hyperrec server answers at http://127.0.0.1:" + free)
                .contains("hyperrec demo");
    }

    @Test
    void aMalformedServerUrlIsNamed() {
        String[] r = run("retrain", "--server", "localhost:8080");

        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .contains(
                        "--server must be an http(s) URL such as http://127.0.0.1:8080, got"
                                + " 'localhost:8080'");
    }
}
