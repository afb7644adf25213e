package io.hyperrec.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable sparse {@code numUsers x numItems} 0/1 matrix in compressed sparse row (CSR) form:
 * the items of user {@code u} are {@code cols[rowPtr[u] .. rowPtr[u+1])}, sorted ascending and
 * unique.
 *
 * <p>Users and items are dense indices (see {@link IdMap}). Instances are immutable and
 * thread-safe; {@link #rowPtr()} and {@link #cols()} expose the internal arrays for speed and must
 * not be modified by callers.
 */
public final class Interactions {

    private final int numUsers;
    private final int numItems;
    private final int[] rowPtr;
    private final int[] cols;

    /**
     * Creates a matrix from CSR arrays, which are copied and validated.
     *
     * @param numUsers the number of rows; non-negative
     * @param numItems the number of columns; non-negative
     * @param rowPtr {@code numUsers + 1} non-decreasing offsets, starting at 0 and ending at {@code
     *     cols.length}; not null
     * @param cols column indices in {@code [0, numItems)}, strictly increasing within each row; not
     *     null
     * @throws IllegalArgumentException naming the offending values
     */
    public Interactions(int numUsers, int numItems, int[] rowPtr, int[] cols) {
        this(numUsers, numItems, copy(rowPtr, "rowPtr"), copy(cols, "cols"), true);
    }

    private Interactions(int numUsers, int numItems, int[] rowPtr, int[] cols, boolean validate) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.rowPtr = rowPtr;
        this.cols = cols;
        if (validate) {
            validate();
        }
    }

    /**
     * Returns an empty matrix.
     *
     * @param numUsers the number of rows; non-negative
     * @param numItems the number of columns; non-negative
     * @return a matrix without entries
     */
    public static Interactions empty(int numUsers, int numItems) {
        checkDims(numUsers, numItems);
        return new Interactions(numUsers, numItems, new int[numUsers + 1], new int[0], false);
    }

    /**
     * Checks that pair {@code k} (user u, item i) lies within the matrix.
     *
     * @throws IllegalArgumentException naming the pair's position and the allowed range
     */
    static void checkPair(int k, int u, int i, int numUsers, int numItems) {
        if (u < 0 || u >= numUsers) {
            throw new IllegalArgumentException(
                    "users[" + k + "] must be in [0, " + numUsers + "), got " + u);
        }
        if (i < 0 || i >= numItems) {
            throw new IllegalArgumentException(
                    "items[" + k + "] must be in [0, " + numItems + "), got " + i);
        }
    }

    /**
     * Builds a matrix from parallel (user, item) arrays; duplicate pairs are kept once.
     *
     * @param numUsers the number of rows; non-negative
     * @param numItems the number of columns; non-negative
     * @param users user index of each pair, in {@code [0, numUsers)}; not null
     * @param items item index of each pair, in {@code [0, numItems)}; same length as {@code users}
     * @return the matrix
     * @throws IllegalArgumentException for different lengths or an index out of range, naming the
     *     pair position and value
     */
    public static Interactions fromPairs(int numUsers, int numItems, int[] users, int[] items) {
        checkDims(numUsers, numItems);
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        if (users.length != items.length) {
            throw new IllegalArgumentException(
                    "users and items must have the same length, got "
                            + users.length
                            + " and "
                            + items.length);
        }
        int n = users.length;
        int[] counts = new int[numUsers + 1];
        for (int k = 0; k < n; k++) {
            int u = users[k];
            int i = items[k];
            checkPair(k, u, i, numUsers, numItems);
            counts[u + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            counts[u + 1] += counts[u];
        }
        int[] fill = Arrays.copyOf(counts, numUsers);
        int[] raw = new int[n];
        for (int k = 0; k < n; k++) {
            raw[fill[users[k]]++] = items[k];
        }
        // Sort each row, then compact duplicates in place.
        int[] rowPtr = new int[numUsers + 1];
        int write = 0;
        for (int u = 0; u < numUsers; u++) {
            int from = counts[u];
            int to = counts[u + 1];
            Arrays.sort(raw, from, to);
            for (int k = from; k < to; k++) {
                if (k == from || raw[k] != raw[k - 1]) {
                    raw[write++] = raw[k];
                }
            }
            rowPtr[u + 1] = write;
        }
        int[] cols = write == n ? raw : Arrays.copyOf(raw, write);
        return new Interactions(numUsers, numItems, rowPtr, cols, false);
    }

    /**
     * Returns the number of users (rows).
     *
     * @return the row count
     */
    public int numUsers() {
        return numUsers;
    }

    /**
     * Returns the number of items (columns).
     *
     * @return the column count
     */
    public int numItems() {
        return numItems;
    }

    /**
     * Returns the number of stored (user, item) pairs.
     *
     * @return the count of non-zero entries
     */
    public int nnz() {
        return cols.length;
    }

    /**
     * Returns the internal row offsets ({@code numUsers + 1} entries). For speed this is not a
     * copy: callers must not modify it.
     *
     * @return the row pointer array
     */
    public int[] rowPtr() {
        return rowPtr;
    }

    /**
     * Returns the internal column indices ({@code nnz()} entries, ascending within each row). For
     * speed this is not a copy: callers must not modify it.
     *
     * @return the column index array
     */
    public int[] cols() {
        return cols;
    }

    /**
     * Returns the number of items of a user.
     *
     * @param user a user index in {@code [0, numUsers)}
     * @return the degree
     */
    public int degree(int user) {
        checkUser(user);
        return rowPtr[user + 1] - rowPtr[user];
    }

    /**
     * Returns the items of a user, ascending.
     *
     * @param user a user index in {@code [0, numUsers)}
     * @return a new array
     */
    public int[] itemsOf(int user) {
        checkUser(user);
        return Arrays.copyOfRange(cols, rowPtr[user], rowPtr[user + 1]);
    }

    /**
     * Tells whether a pair is stored (binary search within the user's row).
     *
     * @param user a user index in {@code [0, numUsers)}
     * @param item an item index; any value outside {@code [0, numItems)} gives false
     * @return true when the pair is present
     */
    public boolean contains(int user, int item) {
        checkUser(user);
        return Arrays.binarySearch(cols, rowPtr[user], rowPtr[user + 1], item) >= 0;
    }

    /**
     * Returns the users with at least one item, ascending.
     *
     * @return a new array
     */
    public int[] usersWithItems() {
        int count = 0;
        for (int u = 0; u < numUsers; u++) {
            if (rowPtr[u + 1] > rowPtr[u]) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int u = 0; u < numUsers; u++) {
            if (rowPtr[u + 1] > rowPtr[u]) {
                out[k++] = u;
            }
        }
        return out;
    }

    /**
     * Returns the transposed {@code numItems x numUsers} matrix (the users of each item).
     *
     * @return a new matrix
     */
    public Interactions transpose() {
        int[] tPtr = new int[numItems + 1];
        for (int c : cols) {
            tPtr[c + 1]++;
        }
        for (int i = 0; i < numItems; i++) {
            tPtr[i + 1] += tPtr[i];
        }
        int[] fill = Arrays.copyOf(tPtr, numItems);
        int[] tCols = new int[cols.length];
        for (int u = 0; u < numUsers; u++) {
            for (int k = rowPtr[u]; k < rowPtr[u + 1]; k++) {
                tCols[fill[cols[k]]++] = u; // users visited ascending, so rows come out sorted
            }
        }
        return new Interactions(numItems, numUsers, tPtr, tCols, false);
    }

    /**
     * Returns the user of each stored pair in row-major order (parallel to {@link #pairItems()}).
     *
     * @return a new array of length {@code nnz()}
     */
    public int[] pairUsers() {
        int[] out = new int[cols.length];
        for (int u = 0; u < numUsers; u++) {
            Arrays.fill(out, rowPtr[u], rowPtr[u + 1], u);
        }
        return out;
    }

    /**
     * Returns the item of each stored pair in row-major order (parallel to {@link #pairUsers()}).
     *
     * @return a new array of length {@code nnz()}
     */
    public int[] pairItems() {
        return cols.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Interactions)) {
            return false;
        }
        Interactions other = (Interactions) o;
        return numUsers == other.numUsers
                && numItems == other.numItems
                && Arrays.equals(rowPtr, other.rowPtr)
                && Arrays.equals(cols, other.cols);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numUsers + numItems) + Arrays.hashCode(cols);
    }

    @Override
    public String toString() {
        return "Interactions[" + numUsers + " x " + numItems + ", nnz=" + cols.length + "]";
    }

    private void checkUser(int user) {
        if (user < 0 || user >= numUsers) {
            throw new IndexOutOfBoundsException(
                    "user must be in [0, " + numUsers + "), got " + user);
        }
    }

    private static void checkDims(int numUsers, int numItems) {
        if (numUsers < 0) {
            throw new IllegalArgumentException("numUsers must be non-negative, got " + numUsers);
        }
        if (numItems < 0) {
            throw new IllegalArgumentException("numItems must be non-negative, got " + numItems);
        }
    }

    private static int[] copy(int[] array, String name) {
        return Objects.requireNonNull(array, name).clone();
    }

    private void validate() {
        checkDims(numUsers, numItems);
        if (rowPtr.length != numUsers + 1) {
            throw new IllegalArgumentException(
                    "rowPtr must have numUsers + 1 = "
                            + (numUsers + 1)
                            + " entries, got "
                            + rowPtr.length);
        }
        if (rowPtr[0] != 0) {
            throw new IllegalArgumentException("rowPtr[0] must be 0, got " + rowPtr[0]);
        }
        if (rowPtr[numUsers] != cols.length) {
            throw new IllegalArgumentException(
                    "rowPtr["
                            + numUsers
                            + "] must equal cols.length = "
                            + cols.length
                            + ", got "
                            + rowPtr[numUsers]);
        }
        for (int u = 0; u < numUsers; u++) {
            int from = rowPtr[u];
            int to = rowPtr[u + 1];
            if (to < from) {
                throw new IllegalArgumentException(
                        "rowPtr must be non-decreasing, got rowPtr["
                                + u
                                + "] = "
                                + from
                                + " > rowPtr["
                                + (u + 1)
                                + "] = "
                                + to);
            }
        }
        for (int u = 0; u < numUsers; u++) {
            int from = rowPtr[u];
            int to = rowPtr[u + 1];
            for (int k = from; k < to; k++) {
                int c = cols[k];
                if (c < 0 || c >= numItems) {
                    throw new IllegalArgumentException(
                            "cols["
                                    + k
                                    + "] (user "
                                    + u
                                    + ") must be in [0, "
                                    + numItems
                                    + "), got "
                                    + c);
                }
                if (k > from && c <= cols[k - 1]) {
                    throw new IllegalArgumentException(
                            "cols of user "
                                    + u
                                    + " must be strictly increasing, got "
                                    + cols[k - 1]
                                    + " then "
                                    + c
                                    + " at cols["
                                    + k
                                    + "]");
                }
            }
        }
    }
}
