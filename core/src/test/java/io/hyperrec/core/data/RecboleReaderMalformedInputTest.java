package io.hyperrec.core.data;

import static io.hyperrec.core.data.RecboleReaderTest.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecboleReaderMalformedInputTest {

    private static final String INTER_HEADER = "user_id:token\titem_id:token";
    private static final String KG_HEADER = "head_id:token\trelation_id:token\ttail_id:token";

    @TempDir Path tmp;

    private Path dir;

    private DatasetFormatException readFails(ReadOptions options) {
        DatasetFormatException e =
                catchThrowableOfType(
                        DatasetFormatException.class, () -> RecboleReader.read(dir, options));
        assertThat(e).as("expected a DatasetFormatException").isNotNull();
        return e;
    }

    private static void assertNames(
            DatasetFormatException e, Path file, int line, String offending) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.getMessage())
                .startsWith(file + ":" + line + ": expected ")
                .contains(file.getFileName().toString())
                .contains("got '" + offending + "'");
    }

    private Path dataset(String interBody) throws IOException {
        dir = tmp.resolve("ds");
        return file(dir, "ds.inter", interBody);
    }

    @Test
    void wrongColumnCountNamesLineAndText() throws IOException {
        Path f = dataset(INTER_HEADER + "\n1\t2\n3\t4\t5\n");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, f, 3, "3\\t4\\t5");
        assertThat(e.getMessage()).contains("2 tab-separated columns (user_id, item_id)");
    }

    @Test
    void tooFewColumnsNamesLineAndText() throws IOException {
        Path f = dataset(INTER_HEADER + "\n1\t2\n\n7\n");

        assertNames(readFails(ReadOptions.defaults()), f, 4, "7");
    }

    @Test
    void missingRequiredHeaderColumnNamesTheColumn() throws IOException {
        Path f = dataset("uid:token\titem_id:token\n1\t2\n");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, f, 1, "uid:token\\titem_id:token");
        assertThat(e.getMessage()).contains("a header column 'user_id'");
    }

    @Test
    void headerFieldWithoutTypeIsRejected() throws IOException {
        Path f = dataset("user_id\titem_id:token\n1\t2\n");

        assertNames(readFails(ReadOptions.defaults()), f, 1, "user_id");
    }

    @Test
    void unknownHeaderTypeIsRejected() throws IOException {
        Path f = dataset("user_id:token\titem_id:int\n1\t2\n");

        assertNames(readFails(ReadOptions.defaults()), f, 1, "item_id:int");
    }

    @Test
    void emptyFileHasNoHeader() throws IOException {
        dir = tmp.resolve("ds");
        Path f = file(dir, "ds.inter", "");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).contains(f.toString()).contains("header");
    }

    @Test
    void nonNumericTimestampNamesLineAndValue() throws IOException {
        Path f =
                dataset(
                        "user_id:token\titem_id:token\ttimestamp:float\n"
                                + "1\t2\t10\n1\t3\t11\n1\t4\tabc\n");

        DatasetFormatException e = readFails(ReadOptions.defaults().withSplit(Split.LEAVE_ONE_OUT));

        assertNames(e, f, 4, "abc");
        assertThat(e.getMessage()).contains("timestamp");
        assertThat(e).hasNoCause();
    }

    @Test
    void emptyUserTokenIsRejected() throws IOException {
        Path f = dataset(INTER_HEADER + "\n\t2\n");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, f, 2, "\\t2");
        assertThat(e.getMessage()).contains("non-empty user_id");
    }

    private Path withKg(String... kgRows) throws IOException {
        dataset(INTER_HEADER + "\n1\t0\n1\t1\n");
        return file(dir, "ds.kg", KG_HEADER + "\n" + String.join("\n", kgRows));
    }

    @Test
    void unknownKgRelationNamesIt() throws IOException {
        Path kg = withKg("i0\thas_tag\tt0", "i1\tlikes\tt0");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, kg, 3, "likes");
        assertThat(e.getMessage()).contains("has_tag").contains("tag_related");
    }

    @Test
    void kgItemWithoutInteractionsIsAnError() throws IOException {
        Path kg = withKg("i0\thas_tag\tt0", "t0\ttag_related\tt1", "i99\thas_tag\tt0");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, kg, 4, "i99");
        assertThat(e.getMessage()).contains("occurs in the interactions");
    }

    @Test
    void kgHeadWithoutItemPrefixIsAnError() throws IOException {
        Path kg = withKg("0\thas_tag\tt0");

        assertNames(readFails(ReadOptions.defaults()), kg, 2, "0");
    }

    @Test
    void kgSelfLoopIsAnError() throws IOException {
        Path kg = withKg("t3\ttag_related\tt3");

        assertNames(readFails(ReadOptions.defaults()), kg, 2, "t3\\ttag_related\\tt3");
    }

    @Test
    void kgMissingColumnIsAnError() throws IOException {
        dataset(INTER_HEADER + "\n1\t0\n");
        Path kg = file(dir, "ds.kg", "head_id:token\ttail_id:token", "i0\tt0");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, kg, 1, "head_id:token\\ttail_id:token");
        assertThat(e.getMessage()).contains("relation_id");
    }

    @Test
    void repeatedTagIdIsAnError() throws IOException {
        dataset(INTER_HEADER + "\n1\t0\n");
        Path tag = file(dir, "ds.tag", "tag_id:token\tname:token", "0\tA", "1\tB", "0\tC");

        assertNames(readFails(ReadOptions.defaults()), tag, 4, "0");
    }

    @Test
    void nonIntegerTagLevelIsAnError() throws IOException {
        dataset(INTER_HEADER + "\n1\t0\n");
        Path tag = file(dir, "ds.tag", "tag_id:token\tlevel:token", "0\t0", "1\tone");

        assertNames(readFails(ReadOptions.defaults()), tag, 3, "one");
    }

    @Test
    void itemFileWithoutItemIdIsAnError() throws IOException {
        dataset(INTER_HEADER + "\n1\t0\n");
        Path item = file(dir, "ds.item", "title:token_seq", "x");

        DatasetFormatException e = readFails(ReadOptions.defaults());

        assertNames(e, item, 1, "title:token_seq");
        assertThat(e.getMessage()).contains("item_id");
    }

    @Test
    void benchmarkFileErrorsNameThatFile() throws IOException {
        dir = tmp.resolve("b");
        file(dir, "b.train.inter", INTER_HEADER, "0\t0");
        Path valid = file(dir, "b.valid.inter", INTER_HEADER, "0\t1", "0\t1\t2");
        file(dir, "b.test.inter", INTER_HEADER, "0\t2");

        assertNames(readFails(ReadOptions.defaults()), valid, 3, "0\\t1\\t2");
    }
}
