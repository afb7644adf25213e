package io.hyperrec.enrichment.llm;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.cache.ReplyCache;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON both ways between the LLM prompts and Java: the untrusted item data put into a prompt
 * (escaped by Jackson, so item text can never close the data object), and the strict parse of a
 * reply into a schema record.
 *
 * <p>A reply is accepted only when, after stripping surrounding whitespace and at most one Markdown
 * code fence around the whole reply ({@code ```json ... ```}, which many local models add even in
 * JSON mode), it is exactly one JSON object of the record's shape: no unknown, missing, null or
 * duplicate fields, no null elements, no numbers or booleans where strings are expected, nothing
 * after the object, and at most {@value #MAX_REPLY_CHARS} characters.
 */
final class LlmJson {
    /** The longest reply parsed; a valid one is far shorter. */
    static final int MAX_REPLY_CHARS = 16_384;

    private static final Pattern FENCE =
            Pattern.compile(
                    "\\A```(?:json)?[ \\t]*\\R(.*)\\R[ \\t]*```\\z",
                    Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final int MAX_PARSE_MESSAGE = 300;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    static final ObjectMapper STRICT =
            JsonMapper.builder()
                    .enable(
                            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                            DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                            DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .disable(
                            DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                            DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
                    .withCoercionConfig(
                            LogicalType.Textual,
                            c -> {
                                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                                c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                                c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                            })
                    .build();

    private LlmJson() {}

    /**
     * The item as the prompt's data object: {@code {"title", "attributes" (sorted), "text"}}, the
     * text cut to {@code maxTextChars}. The item id is left out: it is not content, so identical
     * items share one cached reply.
     */
    static ObjectNode itemData(ItemText item, int maxTextChars) {
        ObjectNode node = STRICT.createObjectNode();
        node.put("title", item.title());
        ObjectNode attributes = node.putObject("attributes");
        new TreeMap<>(item.attributes()).forEach(attributes::put);
        String text = item.text();
        node.put("text", text.length() <= maxTextChars ? text : text.substring(0, maxTextChars));
        return node;
    }

    /** Compact JSON of a tree or a record. */
    static String write(Object value) {
        try {
            return STRICT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reply records always serialise", e);
        }
    }

    /**
     * A prompt's effective version: {@code constant}, then the first 12 hex digits of the SHA-256
     * of the prompt texts, so that any edit of a prompt (or of the limits it states) changes the
     * cache key even when the constant was not bumped.
     */
    static String version(String constant, String... promptTexts) {
        return constant
                + "-"
                + ReplyCache.Key.sha256Hex(String.join("\0", promptTexts)).substring(0, 12);
    }

    /** The reply without surrounding whitespace and one surrounding code fence. */
    static String unfence(String content) {
        String s = content.strip();
        Matcher m = FENCE.matcher(s);
        return m.matches() ? m.group(1).strip() : s;
    }

    /**
     * Parses a reply strictly into {@code type}.
     *
     * @throws InvalidReplyException naming what does not fit
     */
    static <T> T parse(String content, Class<T> type) {
        if (content.length() > MAX_REPLY_CHARS) {
            throw new InvalidReplyException(
                    "reply is "
                            + content.length()
                            + " characters long, more than "
                            + MAX_REPLY_CHARS);
        }
        String json = unfence(content);
        if (!json.startsWith("{")) {
            throw new InvalidReplyException(
                    "reply is not a JSON object: it starts with \"" + printable(json, 40) + "\"");
        }
        try {
            return STRICT.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidReplyException(
                    "reply is not the JSON object asked for: " + describe(e), e);
        }
    }

    /**
     * What a parse failure means in the reply's own terms (field names, JSON paths), short enough
     * for a repair message; Jackson's messages name Java classes and features.
     */
    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field \"" + printable(u.getPropertyName(), 60) + "\" at " + path(u);
        }
        if (e instanceof InvalidNullException n) {
            return "null at " + path(n);
        }
        if (e instanceof MismatchedInputException m) {
            String message = Objects.requireNonNullElse(m.getOriginalMessage(), "");
            Matcher missing = MISSING_PROPERTY.matcher(message);
            if (missing.find()) {
                return "missing field \"" + missing.group(1) + "\" at " + path(m);
            }
            if (message.startsWith("Trailing token")) {
                return "text after the JSON object";
            }
            return "expected " + shape(m.getTargetType()) + " at " + path(m);
        }
        return "malformed JSON: " + printable(e.getOriginalMessage(), MAX_PARSE_MESSAGE);
    }

    private static final Pattern MISSING_PROPERTY =
            Pattern.compile("^Missing (?:required )?creator property '([^']*)'");

    private static String shape(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** The failure's location as a JSON path, e.g. {@code $.levels[1][0]}. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(printable(r.getFieldName(), 60));
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** {@code s} with control characters as {@code ?}, cut after {@code max} characters. */
    static String printable(String s, int max) {
        String p = CONTROL.matcher(s).replaceAll("?");
        return p.length() <= max ? p : p.substring(0, max) + "...";
    }
}
