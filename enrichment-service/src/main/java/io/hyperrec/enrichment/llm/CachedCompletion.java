package io.hyperrec.enrichment.llm;

import io.hyperrec.enrichment.cache.ReplyCache;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A completion through the reply cache, as both LLM prompts use it: a cached reply that still
 * parses is served without a request (a cache hit); otherwise the model is asked and its parsed
 * reply cached (a miss). A cached reply the parser now rejects is logged and asked for again.
 */
final class CachedCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(CachedCompletion.class);

    private CachedCompletion() {}

    /**
     * @param cache the reply cache, or null for none
     * @param data the prompt's data part, hashed into the cache key
     * @param toCache the cached form of a parsed reply (which {@code parser} reads back)
     */
    static <T> T complete(
            ChatClient client,
            ReplyCache cache,
            String promptVersion,
            String subject,
            String data,
            List<ChatMessage> messages,
            ReplyParser<T> parser,
            Function<T, String> toCache) {
        ReplyCache.Key key =
                cache == null
                        ? null
                        : ReplyCache.Key.of(data, promptVersion, client.options().model());
        if (key != null) {
            Optional<String> reply = cache.get(key);
            if (reply.isPresent()) {
                try {
                    T value = parser.parse(reply.get());
                    client.stats().cacheHit();
                    return value;
                } catch (InvalidReplyException stale) {
                    LOG.warn(
                            "{}: cached reply no longer valid ({}); asking the model again",
                            LlmJson.printable(subject, 200),
                            stale.getMessage());
                }
            }
            client.stats().cacheMiss();
        }
        T value = client.complete(subject, messages, parser);
        if (key != null) {
            cache.put(key, toCache.apply(value));
        }
        return value;
    }
}
