package io.hyperrec.store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and validates the fields of a JSON request body, failing with a 400 {@link ApiException}
 * whose message names the field, the value and what was expected. Unknown fields are rejected so
 * that a misspelt optional field is not silently ignored.
 */
final class JsonBody {
    static final int MAX_ID_LENGTH = 256;
    private static final String ID_RULE =
            "a non-empty string of at most "
                    + MAX_ID_LENGTH
                    + " characters without tabs or line breaks";

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    static JsonBody parse(ObjectMapper json, String body, List<String> allowed) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(
                    "request body must be a JSON object, got invalid JSON: "
                            + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw ApiException.badRequest(
                    "request body must be a JSON object with fields "
                            + allowed
                            + ", got "
                            + (root == null || root.isMissingNode()
                                    ? "nothing"
                                    : root.getNodeType()));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(
                        "unknown field '" + name + "'; expected only " + allowed);
            }
        }
        return new JsonBody((ObjectNode) root);
    }

    /** A required id (user, item): see {@link #checkId}. */
    String id(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(field + " is required: " + ID_RULE);
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + " must be " + ID_RULE + ", got " + v);
        }
        return checkId(field, v.asText());
    }

    /** A required non-blank string. */
    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(field + " is required: a non-blank string");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest(field + " must be a non-blank string, got " + v);
        }
        return v.asText();
    }

    /** An optional string, possibly empty. */
    String optionalText(String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + " must be a string, got " + v);
        }
        return v.asText();
    }

    /** An optional finite number &gt; 0. */
    float positiveNumber(String field, float fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()
                || !Double.isFinite(v.asDouble())
                || v.asDouble() <= 0
                || !Float.isFinite((float) v.asDouble())) {
            throw ApiException.badRequest(field + " must be a finite number > 0, got " + v);
        }
        return (float) v.asDouble();
    }

    /** An optional epoch-milliseconds time: an integer ≥ 0. */
    long epochMillis(String field, long fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw ApiException.badRequest(
                    field + " must be epoch milliseconds (an integer >= 0), got " + v);
        }
        return v.asLong();
    }

    /** An optional symbol of {@code symbols}, case-insensitive; returned upper-case. */
    String symbol(String field, List<String> symbols, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        String s = v.isTextual() ? v.asText().toUpperCase(Locale.ROOT) : null;
        if (s == null || !symbols.contains(s)) {
            throw ApiException.badRequest(field + " must be one of " + symbols + ", got " + v);
        }
        return s;
    }

    /** An optional object of string values. */
    Map<String, String> stringMap(String field) {
        JsonNode v = node.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(field + " must be an object of string values, got " + v);
        }
        v.properties()
                .forEach(
                        e -> {
                            if (!e.getValue().isTextual()) {
                                throw ApiException.badRequest(
                                        field
                                                + "."
                                                + e.getKey()
                                                + " must be a string, got "
                                                + e.getValue());
                            }
                            out.put(e.getKey(), e.getValue().asText());
                        });
        return out;
    }

    /**
     * Checks an id: non-empty, bounded, no tabs or line breaks (ids end up in tab-separated files).
     */
    static String checkId(String field, String id) {
        boolean ok = id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH;
        if (ok) {
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (c == '\t' || c == '\n' || c == '\r') {
                    ok = false;
                    break;
                }
            }
        }
        if (!ok) {
            throw ApiException.badRequest(
                    field + " must be " + ID_RULE + ", got '" + quote(id) + "'");
        }
        return id;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return shown.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
