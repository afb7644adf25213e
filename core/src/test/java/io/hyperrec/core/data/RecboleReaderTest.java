package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecboleReaderTest {

    @TempDir Path tmp;

    static Path file(Path dir, String name, String... lines) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    static Set<String> tokenPairs(Dataset d, Interactions m) {
        Set<String> out = new HashSet<>();
        int[] us = m.pairUsers();
        int[] is = m.pairItems();
        for (int k = 0; k < us.length; k++) {
            out.add(d.users().token(us[k]) + "|" + d.items().token(is[k]));
        }
        return out;
    }

    private Path benchmark() throws IOException {
        Path dir = tmp.resolve("bench");
        file(
                dir,
                "bench.train.inter",
                "user_id:token\titem_id:token",
                "0\t5",
                "0\t10",
                "0\t5",
                "1\t0",
                "1\t2",
                "2\t2");
        // columns in another order, with an extra column
        file(
                dir,
                "bench.valid.inter",
                "item_id:token\tuser_id:token\trating:float",
                "2\t0\t4",
                "5\t1\t5");
        file(dir, "bench.test.inter", "user_id:token\titem_id:token", "0\t9", "1\t2", "3\t10");
        return dir;
    }

    @Test
    void readsBenchmarkSplitsOverTheUnionOfIds() throws IOException {
        Dataset d = RecboleReader.read(benchmark());

        assertThat(d.name()).isEqualTo("bench");
        assertThat(d.users().tokens()).containsExactly("0", "1", "2", "3");
        assertThat(d.items().tokens()).containsExactly("0", "2", "5", "9", "10");
        assertThat(d.train().nnz()).isEqualTo(5); // the repeated 0-5 row is dropped
        assertThat(tokenPairs(d, d.train()))
                .containsExactlyInAnyOrder("0|5", "0|10", "1|0", "1|2", "2|2");
        assertThat(tokenPairs(d, d.valid())).containsExactlyInAnyOrder("0|2", "1|5");
        // 1-2 is both in train and test: kept as the benchmark has it
        assertThat(tokenPairs(d, d.test())).containsExactlyInAnyOrder("0|9", "1|2", "3|10");
        assertThat(d.train().numUsers()).isEqualTo(4);
        assertThat(d.test().numItems()).isEqualTo(5);
        assertThat(d.tags()).isEmpty();
        assertThat(d.catalog()).isEmpty();
    }

    @Test
    void nameOptionSelectsTheFilePrefix() throws IOException {
        Path dir = tmp.resolve("somewhere");
        file(dir, "other.inter", "user_id:token\titem_id:token", "a\tx", "b\ty");

        Dataset d = RecboleReader.read(dir, ReadOptions.defaults().withName("other"));

        assertThat(d.name()).isEqualTo("other");
        assertThat(d.users().tokens()).containsExactly("a", "b");
        assertThat(d.train().nnz()).isEqualTo(2);
    }

    private Path interDir() throws IOException {
        Path dir = tmp.resolve("plain");
        StringBuilder sb =
                new StringBuilder("user_id:token\titem_id:token\trating:float\ttimestamp:float");
        // user 7: 12 items; user 8: 3 items; user 9: 2 items; user 10: 25 items
        int[][] spec = {{7, 12}, {8, 3}, {9, 2}, {10, 25}};
        for (int[] s : spec) {
            for (int i = 0; i < s[1]; i++) {
                sb.append('\n')
                        .append(s[0])
                        .append('\t')
                        .append(100 + i)
                        .append("\t4\t")
                        .append(1000 + (i * 37) % 97);
            }
        }
        file(dir, "plain.inter", sb.toString());
        return dir;
    }

    @Test
    void randomSplitOfInterFileGivesPerUserSizes() throws IOException {
        Dataset d = RecboleReader.read(interDir(), ReadOptions.defaults().withSeed(3));

        int[][] expected = {{10, 1, 1}, {1, 1, 1}, {2, 0, 0}, {21, 2, 2}};
        String[] users = {"7", "8", "9", "10"};
        for (int k = 0; k < users.length; k++) {
            int u = d.users().indexOf(users[k]);
            assertThat(new int[] {d.train().degree(u), d.valid().degree(u), d.test().degree(u)})
                    .as("user %s", users[k])
                    .containsExactly(expected[k]);
        }
        assertThat(d.train().nnz() + d.valid().nnz() + d.test().nnz()).isEqualTo(42);
    }

    @Test
    void randomSplitIsDeterministicBySeed() throws IOException {
        Path dir = interDir();

        Dataset a = RecboleReader.read(dir, ReadOptions.defaults().withSeed(3));
        Dataset b = RecboleReader.read(dir, ReadOptions.defaults().withSeed(3));
        Dataset c = RecboleReader.read(dir, ReadOptions.defaults().withSeed(4));

        assertThat(b.train()).isEqualTo(a.train());
        assertThat(b.valid()).isEqualTo(a.valid());
        assertThat(b.test()).isEqualTo(a.test());
        assertThat(c.test()).isNotEqualTo(a.test());
    }

    @Test
    void leaveOneOutPicksLastByTimestampWithItemTokenTieBreak() throws IOException {
        Path dir = tmp.resolve("loo");
        file(
                dir,
                "loo.inter",
                "timestamp:float\tuser_id:token\titem_id:token",
                "50\tu1\tb",
                "90\tu1\ta", // ties with c at 90: "c" sorts after "a" -> test
                "90\tu1\tc",
                "10\tu1\td",
                "5\tu2\tx",
                "3\tu2\ty",
                "4\tu2\tz",
                "1\tu3\tx",
                "2\tu3\ty");

        Dataset d = RecboleReader.read(dir, ReadOptions.defaults().withSplit(Split.LEAVE_ONE_OUT));

        int u1 = d.users().indexOf("u1");
        int u2 = d.users().indexOf("u2");
        int u3 = d.users().indexOf("u3");
        assertThat(d.test().itemsOf(u1)).containsExactly(d.items().indexOf("c"));
        assertThat(d.valid().itemsOf(u1)).containsExactly(d.items().indexOf("a"));
        assertThat(d.train().degree(u1)).isEqualTo(2);
        assertThat(d.test().itemsOf(u2)).containsExactly(d.items().indexOf("x"));
        assertThat(d.valid().itemsOf(u2)).containsExactly(d.items().indexOf("z"));
        assertThat(d.train().itemsOf(u2)).containsExactly(d.items().indexOf("y"));
        assertThat(d.train().degree(u3)).isEqualTo(2);
        assertThat(d.test().degree(u3)).isZero();
    }

    @Test
    void leaveOneOutUsesSeqColumnWhenThereIsNoTimestamp() throws IOException {
        Path dir = tmp.resolve("seqds");
        file(
                dir,
                "seqds.inter",
                "user_id:token\titem_id:token\tseq:float",
                "1\t30\t2",
                "1\t10\t0",
                "1\t20\t3",
                "1\t40\t1");

        Dataset d = RecboleReader.read(dir, ReadOptions.defaults().withSplit(Split.LEAVE_ONE_OUT));

        assertThat(d.items().token(d.test().itemsOf(0)[0])).isEqualTo("20");
        assertThat(d.items().token(d.valid().itemsOf(0)[0])).isEqualTo("30");
    }

    @Test
    void readsTagAndKgIntoTagGraph() throws IOException {
        Path dir = tmp.resolve("tagged");
        file(dir, "tagged.train.inter", "user_id:token\titem_id:token", "0\t0", "0\t1", "1\t2");
        file(dir, "tagged.valid.inter", "user_id:token\titem_id:token", "1\t1");
        file(dir, "tagged.test.inter", "user_id:token\titem_id:token", "0\t2");
        file(
                dir,
                "tagged.tag",
                "tag_id:token\tname:token",
                "0\tBeauty",
                "1\tFace",
                "2\tLips",
                "3\tUnused");
        file(
                dir,
                "tagged.kg",
                "head_id:token\trelation_id:token\ttail_id:token",
                "i0\thas_tag\tt1",
                "i1\thas_tag\tt2",
                "i0\thas_tag\tt1",
                "i2\thas_tag\tt7",
                "t0\ttag_related\tt1",
                "t1\ttag_related\tt0",
                "t2\ttag_related\tt0",
                "t7\ttag_related\tt2");

        TagGraph g = RecboleReader.read(dir).tags().orElseThrow();

        assertThat(g.numTags()).isEqualTo(5);
        assertThat(g.tagIds().tokens()).containsExactly("0", "1", "2", "3", "7");
        assertThat(g.tagNames()).containsExactly("Beauty", "Face", "Lips", "Unused", "t7");
        assertThat(g.itemTagItems()).containsExactly(0, 1, 2);
        assertThat(g.itemTagTags()).containsExactly(1, 2, 4);
        assertThat(g.tagTagA()).containsExactly(0, 2, 4);
        assertThat(g.tagTagB()).containsExactly(1, 0, 2);
        assertThat(g.tagLevel()).isNull();
        assertThat(g.numItems()).isEqualTo(3);
    }

    @Test
    void readsTagLevelsAndKgWithoutTagFile() throws IOException {
        Path dir = tmp.resolve("levels");
        file(dir, "levels.inter", "user_id:token\titem_id:token", "u\ta", "u\tb");
        file(
                dir,
                "levels.tag",
                "tag_id:token\tname:token\tlevel:token",
                "r\tRoot\t0",
                "c\tChild\t1");
        Path kgOnly = tmp.resolve("kgonly");
        file(kgOnly, "kgonly.inter", "user_id:token\titem_id:token", "u\ta");
        file(
                kgOnly,
                "kgonly.kg",
                "head_id:token\trelation_id:token\ttail_id:token",
                "ia\thas_tag\ttx",
                "tx\ttag_related\tty");

        TagGraph withLevels = RecboleReader.read(dir).tags().orElseThrow();
        TagGraph fromKg = RecboleReader.read(kgOnly).tags().orElseThrow();

        assertThat(withLevels.tagLevel()).containsExactly(0, 1);
        assertThat(withLevels.itemTagItems()).isEmpty();
        assertThat(fromKg.tagIds().tokens()).containsExactly("x", "y");
        assertThat(fromKg.tagNames()).containsExactly("tx", "ty");
        assertThat(fromKg.tagTagA()).containsExactly(0);
    }

    @Test
    void readsItemFileIntoCatalog() throws IOException {
        Path dir = tmp.resolve("shop");
        file(dir, "shop.inter", "user_id:token\titem_id:token", "1\t1", "1\t2", "2\t3");
        file(
                dir,
                "shop.item",
                "item_id:token\ttitle:token_seq\tbrand:token\tprice:float\tcategory_path:token",
                "1\tWAWO 15 Color Palette\tCOKA\t5.04\tBeauty > Makeup > Face",
                "2\t\t\t\tBeauty > Skin Care",
                "99\tNot interacted\tX\t1\tBeauty");

        Dataset d = RecboleReader.read(dir);
        ItemCatalog c = d.catalog().orElseThrow();
        int i1 = d.items().indexOf("1");
        int i2 = d.items().indexOf("2");
        int i3 = d.items().indexOf("3");

        assertThat(c.numItems()).isEqualTo(3);
        assertThat(c.title(i1)).isEqualTo("WAWO 15 Color Palette");
        assertThat(c.text(i1)).isEqualTo("WAWO 15 Color Palette. COKA. Beauty > Makeup > Face");
        assertThat(c.categoryPath(i1)).containsExactly("Beauty", "Makeup", "Face");
        assertThat(c.title(i2)).isEmpty();
        assertThat(c.text(i2)).isEqualTo("Beauty > Skin Care");
        assertThat(c.title(i3)).isEmpty();
        assertThat(c.text(i3)).isEmpty();
        assertThat(c.categoryPath(i3)).isEmpty();
    }

    @Test
    void catalogFindsTitleLikeColumnsByName() throws IOException {
        Path dir = tmp.resolve("movies");
        file(dir, "movies.inter", "user_id:token\titem_id:token", "1\t1");
        file(
                dir,
                "movies.item",
                "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq",
                "1\tToy Story\t1995\tAnimation Children's Comedy");

        ItemCatalog c = RecboleReader.read(dir).catalog().orElseThrow();

        assertThat(c.title(0)).isEqualTo("Toy Story");
        // MovieLens' genres are its category path, in their listed order.
        assertThat(c.categoryPath(0)).containsExactly("Animation", "Children's", "Comedy");
        assertThat(c.text(0)).isEqualTo("Toy Story. 1995. Animation > Children's > Comedy");
    }

    @Test
    void f32RoundTripsLittleEndian() throws IOException {
        Path f = tmp.resolve("m.f32");
        float[] values = {1.0f, -2.5f, 0f, Float.MIN_VALUE, 3.25e7f, -0.125f};

        RecboleReader.writeF32(f, values);

        assertThat(Files.size(f)).isEqualTo(24);
        byte[] bytes = Files.readAllBytes(f);
        assertThat(new byte[] {bytes[0], bytes[1], bytes[2], bytes[3]})
                .containsExactly(0x00, 0x00, 0x80, 0x3F);
        assertThat(RecboleReader.readF32(f, 2, 3)).containsExactly(values);
        assertThat(RecboleReader.readF32(f, 3, 2)).containsExactly(values);
    }

    @Test
    void f32LargerThanOneChunkRoundTrips() {
        Path f = tmp.resolve("big.f32");
        float[] values = new float[700_001];
        for (int k = 0; k < values.length; k++) {
            values[k] = k * 0.5f;
        }

        RecboleReader.writeF32(f, values);

        // Arrays.equals: AssertJ's element-wise containsExactly is too slow for 700k values
        assertThat(Arrays.equals(RecboleReader.readF32(f, 700_001, 1), values)).isTrue();
    }

    @Test
    void f32SizeMismatchNamesBothSizes() throws IOException {
        Path f = Files.write(tmp.resolve("bad.f32"), new byte[10]);

        assertThatThrownBy(() -> RecboleReader.readF32(f, 2, 2))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("bad.f32")
                .hasMessageContaining("2 x 2")
                .hasMessageContaining("16 bytes")
                .hasMessageContaining("got 10 bytes");
        assertThatThrownBy(() -> RecboleReader.readF32(tmp.resolve("none.f32"), 1, 1))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("none.f32")
                .hasMessageContaining("does not exist");
    }

    @Test
    void writeThenReadRoundTripsNumericDatasetExactly() throws IOException {
        Dataset d = RecboleReader.read(benchmark());
        TagGraph tags =
                new TagGraph(
                        IdMap.of(List.of("0", "1", "2")),
                        new String[] {"Beauty", "Face\twith tab", "Lips"},
                        d.items().size(),
                        new int[] {0, 4},
                        new int[] {1, 2},
                        new int[] {0, 0},
                        new int[] {1, 2},
                        new int[] {0, 1, 1});
        ItemCatalog catalog =
                new ItemCatalog(
                        List.of("a", "", "c", "d", "e"),
                        List.of("a text", "", "c. Beauty > Face", "d", "e"),
                        List.of(
                                List.of(),
                                List.of(),
                                List.of("Beauty", "Face"),
                                List.of(),
                                List.of("X")));
        Dataset full = d.withTags(tags).withCatalog(catalog);
        Path out = tmp.resolve("out").resolve("bench");

        RecboleReader.write(full, out);
        Dataset back = RecboleReader.read(out);

        assertThat(back.users()).isEqualTo(full.users());
        assertThat(back.items()).isEqualTo(full.items());
        assertThat(back.train()).isEqualTo(full.train());
        assertThat(back.valid()).isEqualTo(full.valid());
        assertThat(back.test()).isEqualTo(full.test());
        TagGraph t = back.tags().orElseThrow();
        assertThat(t.tagIds()).isEqualTo(tags.tagIds());
        assertThat(t.tagNames()).containsExactly("Beauty", "Face with tab", "Lips");
        assertThat(t.itemTagItems()).containsExactly(tags.itemTagItems());
        assertThat(t.itemTagTags()).containsExactly(tags.itemTagTags());
        assertThat(t.tagTagA()).containsExactly(tags.tagTagA());
        assertThat(t.tagTagB()).containsExactly(tags.tagTagB());
        assertThat(t.tagLevel()).containsExactly(0, 1, 1);
        ItemCatalog c = back.catalog().orElseThrow();
        for (int i = 0; i < d.items().size(); i++) {
            assertThat(c.title(i)).isEqualTo(catalog.title(i));
            assertThat(c.text(i)).isEqualTo(catalog.text(i));
            assertThat(c.categoryPath(i)).isEqualTo(catalog.categoryPath(i));
        }
    }

    @Test
    void writeThenReadRoundTripsSyntheticDatasetByToken() {
        SyntheticConfig cfg = SyntheticConfig.builder().users(60).items(80).seed(5).build();
        Dataset d = SyntheticDataset.generate(cfg);
        Path out = tmp.resolve("synthetic");

        RecboleReader.write(d, out);
        Dataset back = RecboleReader.read(out);

        assertThat(back.name()).isEqualTo(cfg.name());
        assertThat(back.users()).isEqualTo(d.users()); // written row-major, so first appearance
        assertThat(back.items().size())
                .isEqualTo(d.items().size() - countItemsWithoutInteractions(d));
        assertThat(tokenPairs(back, back.train())).isEqualTo(tokenPairs(d, d.train()));
        assertThat(tokenPairs(back, back.valid())).isEqualTo(tokenPairs(d, d.valid()));
        assertThat(tokenPairs(back, back.test())).isEqualTo(tokenPairs(d, d.test()));
        TagGraph t = back.tags().orElseThrow();
        assertThat(t.tagIds()).isEqualTo(d.tags().orElseThrow().tagIds());
        assertThat(t.tagNames()).containsExactly(d.tags().orElseThrow().tagNames());
        assertThat(t.tagLevel()).containsExactly(d.tags().orElseThrow().tagLevel());
        ItemCatalog c = back.catalog().orElseThrow();
        for (int i = 0; i < back.items().size(); i++) {
            int original = d.items().indexOf(back.items().token(i));
            assertThat(c.text(i)).isEqualTo(d.catalog().orElseThrow().text(original));
        }
    }

    private static int countItemsWithoutInteractions(Dataset d) {
        Set<Integer> seen = new HashSet<>();
        for (Interactions m : List.of(d.train(), d.valid(), d.test())) {
            for (int i : m.cols()) {
                seen.add(i);
            }
        }
        return d.items().size() - seen.size();
    }

    @Test
    void missingDirectoryNamesThePath() {
        Path dir = tmp.resolve("nope");

        assertThatThrownBy(() -> RecboleReader.read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("nope.train.inter")
                .hasMessageContaining("nope.inter")
                .hasMessageContaining("does not exist");
    }

    @Test
    void missingInteractionFilesNameWhatWasLookedFor() throws IOException {
        Path dir = tmp.resolve("partial");
        file(dir, "partial.train.inter", "user_id:token\titem_id:token", "0\t0");

        assertThatThrownBy(() -> RecboleReader.read(dir))
                .isInstanceOf(DatasetFormatException.class)
                .satisfies(e -> assertThat(((DatasetFormatException) e).line()).isZero())
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("partial.valid.inter")
                .hasMessageContaining("partial.test.inter")
                .hasMessageContaining("partial.inter")
                .hasMessageContaining("found only partial.train.inter");
    }

    @Test
    void eventsComeInTimestampOrderWithTiesInFileOrder(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path d = dir.resolve("tiny");
        java.nio.file.Files.createDirectories(d);
        java.nio.file.Files.writeString(
                d.resolve("tiny.inter"),
                "user_id:token\titem_id:token\ttimestamp:float\n"
                        + "u1\ti1\t30\n"
                        + "u2\ti2\t10\n"
                        + "u3\ti3\t30\n"
                        + "u1\ti4\t20\n");
        java.util.List<RecboleReader.Event> ev = RecboleReader.readEvents(d);
        org.assertj.core.api.Assertions.assertThat(ev)
                .extracting(e -> e.user() + ":" + e.item() + "@" + (long) e.time())
                .containsExactly("u2:i2@10", "u1:i4@20", "u1:i1@30", "u3:i3@30");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RecboleReader.readEvents(dir.resolve("missing")))
                .hasMessageContaining("expected the interactions file of dataset missing");
    }
}
