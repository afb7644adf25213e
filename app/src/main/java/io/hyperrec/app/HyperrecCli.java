package io.hyperrec.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hyperrec} launcher. */
@Command(
        name = "hyperrec",
        mixinStandardHelpOptions = true,
        version = "hyperrec 0.1.0",
        description = "Streaming, incremental recommender in hyperbolic space (HyperLLM).",
        subcommands = {
            DemoCommand.class,
            TrainCommand.class,
            Phase1Command.class,
            EvaluateCommand.class,
            RetrainCommand.class,
            EvaluateColdStartCommand.class,
            EnrichDatasetCommand.class,
            EnrichmentServerCommand.class,
            io.hyperrec.app.runtime.RuntimeCheckCommand.class,
            CommandLine.HelpCommand.class
        })
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
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: case-insensitive enums, clear errors for bad values. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new HyperrecCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    if (ex instanceof IllegalArgumentException
                            || ex instanceof IllegalStateException
                            || ex instanceof java.io.UncheckedIOException
                            || ex instanceof io.hyperrec.core.data.DatasetFormatException
                            || ex instanceof io.hyperrec.core.kernel.DeviceException
                            || ex instanceof io.hyperrec.store.StoreException) {
                        cmd.getErr()
                                .println(
                                        "hyperrec "
                                                + cmd.getCommandName()
                                                + ": "
                                                + ex.getMessage());
                        return 2;
                    }
                    throw ex;
                });
        return cl;
    }
}
