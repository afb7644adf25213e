package io.hyperrec.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command-line flags of a benchmark driver: {@code --name value}, {@code --name=value} or a
 * bare {@code --name} (true). Each driver declares its flags with defaults and meanings; an unknown
 * flag or a value that does not parse fails with a message naming it. Immutable after parsing.
 */
final class BenchArgs {
    private final String program;
    private final Map<String, String[]> declared = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param program the driver's name, for the usage text
     */
    BenchArgs(String program) {
        this.program = program;
    }

    /**
     * Declares a flag.
     *
     * @param name the flag without dashes
     * @param defaultValue its default, as text
     * @param meaning one line for the usage text
     * @return this
     */
    BenchArgs flag(String name, String defaultValue, String meaning) {
        declared.put(name, new String[] {defaultValue, meaning});
        return this;
    }

    /**
     * Parses the arguments; prints the usage and exits on {@code --help}.
     *
     * @throws IllegalArgumentException naming an unknown flag
     */
    BenchArgs parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(usage());
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException(
                        program + ": expected a --flag, got '" + a + "'\n" + usage());
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException(
                        program + ": unknown flag --" + name + "\n" + usage());
            }
            values.put(name, value);
        }
        return this;
    }

    /** The flag's value as text (its default when not given). */
    String text(String name) {
        String[] d = declared.get(name);
        if (d == null) {
            throw new IllegalStateException("flag --" + name + " is not declared");
        }
        return values.getOrDefault(name, d[0]);
    }

    /** The flag's value as a long; underscores and commas are allowed (1_000_000). */
    long longValue(String name) {
        String raw = text(name).replace("_", "").replace(",", "");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be an integer, got '" + text(name) + "'");
        }
    }

    /** The flag's value as a positive int. */
    int positiveInt(String name) {
        long v = longValue(name);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " must be a positive int, got " + v);
        }
        return (int) v;
    }

    /** The flag's value as a boolean (true, false). */
    boolean bool(String name) {
        String v = text(name);
        if (!Set.of("true", "false").contains(v)) {
            throw new IllegalArgumentException(
                    "--" + name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** The usage text: every flag with its default and meaning. */
    String usage() {
        StringBuilder b = new StringBuilder("usage: " + program + " [flags]\n");
        declared.forEach(
                (name, d) ->
                        b.append(String.format("  --%-24s %s (default: %s)%n", name, d[1], d[0])));
        return b.toString();
    }
}
