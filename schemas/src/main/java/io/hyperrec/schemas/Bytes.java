package io.hyperrec.schemas;

/**
 * Renders bytes for error messages: a short hex prefix and a guess at what the bytes are.
 * Dead-letter reasons are read by people who see only the message, so "7B 22 (looks like JSON)" is
 * worth more than "bad magic".
 */
final class Bytes {
    /** How many bytes an error message shows at most. */
    static final int SHOWN = 8;

    private Bytes() {}

    /**
     * @return up to {@code max} bytes of {@code data} from {@code from}, as upper-case hex pairs
     *     separated by spaces, with " …" when more follow
     */
    static String hex(byte[] data, int from, int max) {
        StringBuilder sb = new StringBuilder();
        int to = Math.min(data.length, from + max);
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(' ');
            }
            sb.append(Character.toUpperCase(Character.forDigit((data[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(data[i] & 0xF, 16)));
        }
        if (to < data.length) {
            sb.append(" …");
        }
        return sb.toString();
    }

    /**
     * @return the hex of one byte, e.g. "C3"
     */
    static String hex(int b) {
        return hex(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * @return " (looks like JSON)", " (looks like text)" or "" for a value that is neither
     */
    static String guess(byte[] data) {
        int i = 0;
        while (i < data.length && Character.isWhitespace(data[i])) {
            i++;
        }
        if (i < data.length && (data[i] == '{' || data[i] == '[' || data[i] == '"')) {
            return " (looks like JSON)";
        }
        int n = Math.min(data.length, 32);
        if (n == 0) {
            return "";
        }
        for (int j = 0; j < n; j++) {
            int b = data[j] & 0xFF;
            boolean printable = b >= 0x20 && b < 0x7F || b == '\t' || b == '\n' || b == '\r';
            if (!printable) {
                return "";
            }
        }
        return " (looks like text)";
    }
}
