package io.hyperrec.enrichment.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.enrichment.ItemText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code POST /v1/enrich} body: one item ({@code {"item", "title", "text", "attributes"}})
 * or a batch ({@code {"items": [...]}}). Parsing is strict and fails with a 400 (or 413) {@link
 * ApiException} whose message names the field, with its path in a batch ({@code items[2].item}),
 * the value and what was expected: unknown fields are rejected so that a misspelt field is not
 * silently ignored.
 *
 * @param items the items, in request order
 * @param batch whether the body was a batch (answered {@code {"results": [...]}})
 */
record EnrichRequest(List<ItemText> items, boolean batch) {
    /** The fields of an item object. */
    static final List<String> ITEM_FIELDS = List.of("item", "title", "text", "attributes");

    /** The longest item id, in chars. */
    static final int MAX_ITEM_ID_LENGTH = 256;

    private static final String ID_RULE =
            "a non-blank string of at most "
                    + MAX_ITEM_ID_LENGTH
                    + " characters without control characters";
    private static final int QUOTE_MAX = 80;

    /**
     * Parses a body.
     *
     * @param json a mapper failing on duplicate fields
     * @param body the body's bytes (JSON in UTF-8, -16 or -32)
     * @param maxBatchSize the most items a batch may hold
     */
    static EnrichRequest parse(ObjectMapper json, byte[] body, int maxBatchSize) {
        JsonNode root = null;
        try (JsonParser parser = json.createParser(body)) {
            if (body.length > 0) {
                root = json.readTree(parser);
                if (parser.nextToken() != null) {
                    throw ApiException.badRequest(
                            "request body must be one JSON object, got more JSON after it at"
                                    + " byte "
                                    + parser.currentTokenLocation().getByteOffset());
                }
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(
                    "request body must be a JSON object, got invalid JSON: "
                            + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "request body must be a JSON object, got unreadable bytes: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw ApiException.badRequest(
                    "request body must be a JSON object with the fields "
                            + ITEM_FIELDS
                            + " or [items], got "
                            + (root == null || root.isMissingNode()
                                    ? "nothing"
                                    : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (!root.has("items")) {
            return new EnrichRequest(List.of(item(root, "")), false);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("items")) {
                throw ApiException.badRequest(
                        "unknown field '" + name + "'; a batch body has only the field 'items'");
            }
        }
        JsonNode items = root.get("items");
        if (!items.isArray()) {
            throw ApiException.badRequest(
                    "items must be an array of item objects, got " + show(items));
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest("items must hold at least one item object, got []");
        }
        if (items.size() > maxBatchSize) {
            throw ApiException.tooLarge(
                    "items holds "
                            + items.size()
                            + " items, more than maxBatchSize "
                            + maxBatchSize
                            + "; split the batch");
        }
        List<ItemText> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode node = items.get(i);
            String path = "items[" + i + "]";
            if (!node.isObject()) {
                throw ApiException.badRequest(
                        path
                                + " must be an item object with the fields "
                                + ITEM_FIELDS
                                + ", got "
                                + show(node));
            }
            out.add(item(node, path + "."));
        }
        return new EnrichRequest(List.copyOf(out), true);
    }

    /** One item object; {@code prefix} is its path in the body ("" or "items[i]."). */
    private static ItemText item(JsonNode node, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ITEM_FIELDS.contains(name)) {
                throw ApiException.badRequest(
                        "unknown field '" + prefix + name + "'; expected only " + ITEM_FIELDS);
            }
        }
        return new ItemText(
                id(prefix + "item", node.get("item")),
                text(prefix + "title", node.get("title")),
                text(prefix + "text", node.get("text")),
                stringMap(prefix + "attributes", node.get("attributes")));
    }

    private static String id(String field, JsonNode v) {
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(field + " is required: " + ID_RULE);
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + " must be " + ID_RULE + ", got " + show(v));
        }
        String id = v.asText();
        if (id.isBlank()
                || id.length() > MAX_ITEM_ID_LENGTH
                || id.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(field + " must be " + ID_RULE + ", got " + show(v));
        }
        return id;
    }

    /** An optional string; absent or null is empty. */
    private static String text(String field, JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + " must be a string, got " + show(v));
        }
        return v.asText();
    }

    /** An optional object of string values; absent or null is empty. */
    private static Map<String, String> stringMap(String field, JsonNode v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(
                    field + " must be an object of string values, got " + show(v));
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw ApiException.badRequest(
                        field + "." + e.getKey() + " must be a string, got " + show(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /**
     * A JSON value as written, cut to {@value #QUOTE_MAX} characters, control characters escaped.
     */
    private static String show(JsonNode v) {
        String s = v.toString();
        return s.length() > QUOTE_MAX ? s.substring(0, QUOTE_MAX) + "…" : s;
    }
}
