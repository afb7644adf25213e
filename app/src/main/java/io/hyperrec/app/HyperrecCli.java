package io.hyperrec.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hyperrec} launcher. */
@Command(
        name = "hyperrec",
        mixinStandardHelpOptions = true,
        version = "hyperrec 0.1.0",
        description = "Streaming, incremental recommender in hyperbolic space (HyperLLM).",
        subcommands = {CommandLine.HelpCommand.class})
public final class HyperrecCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Runs the CLI and exits with its status.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new HyperrecCli()).execute(args));
    }
}
