package io.hyperrec.store.http;

import java.util.List;
import java.util.Optional;

/**
 * What the HTTP API can ask of the platform's retrain scheduler: start a retrain now ({@code POST
 * /v1/retrains}, which {@code hyperrec retrain} calls) and report on retrains ({@code GET
 * /v1/retrains}, {@code GET /v1/retrains/{version}}).
 *
 * <p>Implementations are thread-safe: request threads call them concurrently with the scheduler.
 */
public interface RetrainControl {
    /**
     * Starts a retrain of the next version now.
     *
     * @param trigger who asked, recorded on the status (e.g. {@code manual})
     * @return the started retrain's status ({@link RetrainStatus.State#RUNNING})
     * @throws Busy when a retrain is already running (one runs at a time)
     */
    RetrainStatus start(String trigger);

    /** Every retrain this process started, oldest first. */
    List<RetrainStatus> history();

    /** The retrain of {@code version}, if this process started one. */
    Optional<RetrainStatus> status(long version);

    /** A retrain is running; the caller may wait for {@link #running()} and ask again. */
    final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient RetrainStatus running;

        public Busy(RetrainStatus running) {
            super(
                    "the retrain of version "
                            + running.version()
                            + " (triggered by "
                            + running.trigger()
                            + ") is still running; one retrain runs at a time. Follow it at GET"
                            + " /v1/retrains/"
                            + running.version()
                            + " and ask again when it has finished");
            this.running = running;
        }

        /** The retrain that is running. */
        public RetrainStatus running() {
            return running;
        }
    }
}
