package io.hyperrec.enrichment.llm;

import java.util.Locale;
import java.util.Objects;

/**
 * One message of a chat-completions conversation.
 *
 * @param role who speaks
 * @param content what is said (non-null, may be empty)
 */
public record ChatMessage(Role role, String content) {
    /** The speakers of the OpenAI chat format. */
    public enum Role {
        /** The instructions. */
        SYSTEM,
        /** The caller. */
        USER,
        /** The model. */
        ASSISTANT;

        /** The role's name on the wire: {@code system}, {@code user} or {@code assistant}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** A system message. */
    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    /** A user message. */
    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    /** An assistant message. */
    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
