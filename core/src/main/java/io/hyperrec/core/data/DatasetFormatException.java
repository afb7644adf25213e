package io.hyperrec.core.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A dataset file is missing, malformed or inconsistent with the other files of its dataset.
 *
 * <p>Messages about the content of a file have the form {@code "<file>:<line>: expected <what>, got
 * '<offending text>'"}; messages about missing files name the path and the files that were looked
 * for. Instances are immutable and therefore thread-safe.
 */
public final class DatasetFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Offending text longer than this many characters is shortened in messages. */
    private static final int MAX_QUOTED_CHARS = 200;

    /** The file (or directory) the problem is in; never null. */
    private final transient Path file;

    private final int line;

    /**
     * Creates an exception about the content of one line of a file.
     *
     * @param file the offending file; must not be null
     * @param line the 1-based line number, or 0 when the problem is not tied to a line
     * @param expected what the reader expected, e.g. {@code "3 tab-separated columns"}
     * @param got the offending text (quoted in the message, shortened when very long); null is
     *     shown as the empty string
     */
    public DatasetFormatException(Path file, int line, String expected, String got) {
        this(
                file,
                line,
                file + ":" + line + ": expected " + expected + ", got '" + shorten(got) + "'");
    }

    /**
     * Creates an exception with a free-form message that should already name {@code file}.
     *
     * @param file the offending file or directory; must not be null
     * @param line the 1-based line number, or 0 when the problem is not tied to a line
     * @param message the full message
     */
    public DatasetFormatException(Path file, int line, String message) {
        super(message);
        this.file = Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line must be non-negative, got " + line);
        }
        this.line = line;
    }

    /**
     * Returns the file or directory the problem was found in.
     *
     * @return the path; never null
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the 1-based line number of the problem.
     *
     * @return the line number, or 0 when the problem is not tied to a line (e.g. a missing file)
     */
    public int line() {
        return line;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        if (text.length() <= MAX_QUOTED_CHARS) {
            return text;
        }
        return text.substring(0, MAX_QUOTED_CHARS) + "...";
    }
}
