package io.hyperrec.enrichment.llm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Sleeper} that records the waits instead of sleeping them. */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
    }

    /** The waits asked for, in order. */
    List<Duration> waits() {
        return List.copyOf(waits);
    }

    /** The waits in whole milliseconds. */
    List<Long> waitsMillis() {
        return waits.stream().map(Duration::toMillis).toList();
    }
}
