package io.hyperrec.enrichment.llm;

/**
 * Turns a model's reply text into a value, or rejects it; a rejected reply costs the {@link
 * ChatClient} one attempt, and the next attempt carries the rejected reply and {@link
 * #repairPrompt}.
 *
 * @param <T> the value
 */
@FunctionalInterface
public interface ReplyParser<T> {
    /**
     * Parses and validates a reply.
     *
     * @param content {@code choices[0].message.content}
     * @throws InvalidReplyException naming what is wrong with the reply
     */
    T parse(String content);

    /** The user message that follows a rejected reply, asking for a corrected one. */
    default String repairPrompt(String reason) {
        return "Your previous reply was rejected: "
                + reason
                + ". Reply again, following the instructions exactly, with nothing else.";
    }
}
