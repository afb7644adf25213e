package io.hyperrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HyperrecCliTest {
    private static String[] run(String... args) {
        CommandLine cl = HyperrecCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub :
                new String[] {
                    "demo",
                    "train",
                    "phase1",
                    "evaluate",
                    "retrain",
                    "evaluate-cold-start",
                    "enrich-dataset"
                }) {
            String[] r = run(sub, "--help");
            assertThat(r[0]).as(sub).isEqualTo("0");
            assertThat(r[1]).as(sub).contains("Usage: hyperrec " + sub);
        }
    }

    @Test
    void aBadEnumValueNamesTheValueAndTheChoices() {
        String[] r = run("train", "--variant", "bogus", "--out", "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--variant").contains("bogus").contains("HYPERLLM");
    }

    @Test
    void aMissingDatasetDirectoryIsNamed() {
        String[] r = run("train", "--dataset", "/no/such/dir", "--out", "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("/no/such/dir").contains("not a directory");
    }

    @Test
    void aSemanticVariantWithoutPhase1VectorsSaysWhatIsMissing() {
        String[] r =
                run(
                        "train",
                        "--variant",
                        "semantic",
                        "--synthetic-users",
                        "50",
                        "--synthetic-items",
                        "40",
                        "--out",
                        "/tmp/never");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--phase1 PREFIX");
    }
}
