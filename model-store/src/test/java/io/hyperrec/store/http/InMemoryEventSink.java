package io.hyperrec.store.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventSink} that keeps events in memory; can be told to fail. */
final class InMemoryEventSink implements EventSink {
    final List<InteractionEvent> interactions = new CopyOnWriteArrayList<>();
    final List<NewItemEvent> items = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public void sendInteraction(InteractionEvent event) {
        if (failing) {
            throw new EventSinkException(
                    "cannot send to topic 'interactions' with key '" + event.user() + "'",
                    new IllegalStateException("broker unavailable"));
        }
        interactions.add(event);
    }

    @Override
    public void sendItem(NewItemEvent event) {
        items.add(event);
    }
}
