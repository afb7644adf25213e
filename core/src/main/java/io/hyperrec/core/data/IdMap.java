package io.hyperrec.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable bijection between string tokens (user, item or tag ids as written in the data files)
 * and dense int indices {@code 0..size()-1}.
 *
 * <p>Tokens are non-empty and contain no tab, carriage return or line feed, so they can always be
 * written back into a tab-separated file. Instances are immutable and thread-safe.
 *
 * <p>{@link Builder} assigns indices the way the dataset reader does: when every token is a
 * non-negative integer in canonical form ({@code "0"}, {@code "17"}, not {@code "007"} or {@code
 * "+1"}), indices follow increasing numeric order; otherwise they follow the order of first
 * appearance.
 */
public final class IdMap {

    /**
     * The order used for tie-breaks between tokens: canonical non-negative integers come first, in
     * numeric order, then all other tokens in {@link String#compareTo lexicographic} order.
     */
    public static final Comparator<String> TOKEN_ORDER = IdMap::compareTokens;

    private final String[] tokens;
    private final Map<String, Integer> index;

    private IdMap(String[] tokens, Map<String, Integer> index) {
        this.tokens = tokens;
        this.index = index;
    }

    /**
     * Creates a map whose index {@code k} is {@code tokensInIndexOrder.get(k)}.
     *
     * @param tokensInIndexOrder the tokens; must not be null, contain null, empty or duplicate
     *     tokens, or tokens with tab, CR or LF characters
     * @return the map
     * @throws IllegalArgumentException naming the offending token and position
     */
    public static IdMap of(List<String> tokensInIndexOrder) {
        Objects.requireNonNull(tokensInIndexOrder, "tokensInIndexOrder");
        String[] tokens = new String[tokensInIndexOrder.size()];
        Map<String, Integer> index = new HashMap<>(capacityFor(tokens.length));
        for (int k = 0; k < tokens.length; k++) {
            String token = tokensInIndexOrder.get(k);
            checkToken(token, k);
            Integer previous = index.putIfAbsent(token, k);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "duplicate token '" + token + "' at positions " + previous + " and " + k);
            }
            tokens[k] = token;
        }
        return new IdMap(tokens, index);
    }

    /**
     * Creates a map with tokens {@code prefix + first}, {@code prefix + (first+1)}, ... of the
     * given size, e.g. {@code sequential("u", 1, 3)} is {@code [u1, u2, u3]}.
     *
     * @param prefix the token prefix; may be empty, not null
     * @param first the number of index 0
     * @param size the number of tokens; non-negative
     * @return the map
     */
    public static IdMap sequential(String prefix, long first, int size) {
        Objects.requireNonNull(prefix, "prefix");
        if (size < 0) {
            throw new IllegalArgumentException("size must be non-negative, got " + size);
        }
        List<String> tokens = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            tokens.add(prefix + (first + k));
        }
        return of(tokens);
    }

    /**
     * Returns a new, empty builder.
     *
     * @return the builder (not thread-safe)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of tokens.
     *
     * @return the size
     */
    public int size() {
        return tokens.length;
    }

    /**
     * Returns the index of a token.
     *
     * @param token the token; null is never contained
     * @return the index in {@code 0..size()-1}, or -1 when the token is absent
     */
    public int indexOf(String token) {
        if (token == null) {
            return -1;
        }
        Integer k = index.get(token);
        return k == null ? -1 : k;
    }

    /**
     * Returns the token of an index.
     *
     * @param index an index in {@code 0..size()-1}
     * @return the token; never null
     * @throws IndexOutOfBoundsException naming the index and the size
     */
    public String token(int index) {
        if (index < 0 || index >= tokens.length) {
            throw new IndexOutOfBoundsException(
                    "index must be in [0, " + tokens.length + "), got " + index);
        }
        return tokens[index];
    }

    /**
     * Tells whether a token is in the map.
     *
     * @param token the token; null gives false
     * @return true when {@link #indexOf} is not -1
     */
    public boolean contains(String token) {
        return indexOf(token) >= 0;
    }

    /**
     * Returns all tokens in index order.
     *
     * @return an unmodifiable list view; never null
     */
    public List<String> tokens() {
        return Collections.unmodifiableList(Arrays.asList(tokens));
    }

    /**
     * Tells whether a token is a non-negative integer in canonical form: {@code "0"}, or a non-zero
     * digit followed by digits. Such tokens may be longer than a {@code long}.
     *
     * @param token the token; null gives false
     * @return true for canonical non-negative integers
     */
    public static boolean isCanonicalNonNegativeInteger(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        int n = token.length();
        if (n > 1 && token.charAt(0) == '0') {
            return false;
        }
        for (int k = 0; k < n; k++) {
            char c = token.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares tokens in {@link #TOKEN_ORDER}.
     *
     * @param a a token; not null
     * @param b a token; not null
     * @return negative, zero or positive as {@code a} sorts before, equal to or after {@code b}
     */
    public static int compareTokens(String a, String b) {
        boolean na = isCanonicalNonNegativeInteger(a);
        boolean nb = isCanonicalNonNegativeInteger(b);
        if (na && nb) {
            // Canonical form: a shorter number is smaller; equal lengths compare digit by digit.
            return a.length() != b.length()
                    ? Integer.compare(a.length(), b.length())
                    : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdMap && Arrays.equals(tokens, ((IdMap) o).tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IdMap[size=").append(tokens.length);
        for (int k = 0; k < Math.min(5, tokens.length); k++) {
            sb.append(k == 0 ? ", " : " ").append(tokens[k]);
        }
        return sb.append(tokens.length > 5 ? " ...]" : "]").toString();
    }

    static int capacityFor(int entries) {
        return (int) Math.min(1L << 30, (long) (entries / 0.75f) + 1);
    }

    private static void checkToken(String token, int position) {
        if (token == null) {
            throw new IllegalArgumentException("token at position " + position + " is null");
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token at position " + position + " is empty");
        }
        for (int k = 0; k < token.length(); k++) {
            char c = token.charAt(k);
            if (c == '\t' || c == '\n' || c == '\r') {
                throw new IllegalArgumentException(
                        "token at position "
                                + position
                                + " contains a tab or line break: '"
                                + token.replace("\t", "\\t")
                                        .replace("\n", "\\n")
                                        .replace("\r", "\\r")
                                + "'");
            }
        }
    }

    /**
     * Collects tokens in order of first appearance and then assigns final indices (numeric order
     * when all tokens are canonical non-negative integers, else first-appearance order).
     *
     * <p>{@link #add} returns a <em>provisional</em> id (the first-appearance position); after
     * {@link #build()}, {@link #finalIndices()} translates provisional ids into indices of the
     * built map. Not thread-safe.
     */
    public static final class Builder {

        private final Map<String, Integer> provisional = new HashMap<>();
        private final List<String> inOrder = new ArrayList<>();
        private boolean allCanonical = true;
        private int[] finalIndices;

        private Builder() {}

        /**
         * Adds a token if it is new.
         *
         * @param token the token; must be non-empty and free of tabs and line breaks
         * @return the token's provisional id: the number of distinct tokens added before it
         * @throws IllegalArgumentException for an invalid token
         */
        public int add(String token) {
            Integer id = provisional.get(token);
            if (id != null) {
                return id;
            }
            int next = inOrder.size();
            checkToken(token, next);
            provisional.put(token, next);
            inOrder.add(token);
            if (allCanonical && !isCanonicalNonNegativeInteger(token)) {
                allCanonical = false;
            }
            finalIndices = null;
            return next;
        }

        /**
         * Returns the provisional id of a token added before.
         *
         * @param token the token; null gives -1
         * @return the provisional id, or -1 when the token was not added
         */
        public int provisionalId(String token) {
            if (token == null) {
                return -1;
            }
            Integer id = provisional.get(token);
            return id == null ? -1 : id;
        }

        /**
         * Returns the number of distinct tokens added so far.
         *
         * @return the count
         */
        public int size() {
            return inOrder.size();
        }

        /**
         * Tells whether every token added so far is a canonical non-negative integer.
         *
         * @return true also when nothing was added
         */
        public boolean allCanonicalIntegers() {
            return allCanonical;
        }

        /**
         * Builds the map; the builder stays usable and later additions affect only later builds.
         *
         * @return the map
         */
        public IdMap build() {
            int n = inOrder.size();
            String[] tokens = inOrder.toArray(new String[0]);
            int[] remap = new int[n];
            if (allCanonical) {
                Integer[] order = new Integer[n];
                for (int k = 0; k < n; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (x, y) -> compareTokens(tokens[x], tokens[y]));
                String[] sorted = new String[n];
                for (int k = 0; k < n; k++) {
                    sorted[k] = tokens[order[k]];
                    remap[order[k]] = k;
                }
                finalIndices = remap;
                Map<String, Integer> index = new HashMap<>(capacityFor(n));
                for (int k = 0; k < n; k++) {
                    index.put(sorted[k], k);
                }
                return new IdMap(sorted, index);
            }
            for (int k = 0; k < n; k++) {
                remap[k] = k;
            }
            finalIndices = remap;
            return new IdMap(tokens, new HashMap<>(provisional));
        }

        /**
         * Returns, for each provisional id, the index in the map returned by the latest {@link
         * #build()}.
         *
         * @return a new array of length {@link #size()}
         * @throws IllegalStateException when tokens were added after the last build, or before none
         */
        public int[] finalIndices() {
            if (finalIndices == null) {
                throw new IllegalStateException(
                        "build() must be called after the last add(), size is " + size());
            }
            return finalIndices.clone();
        }
    }
}
