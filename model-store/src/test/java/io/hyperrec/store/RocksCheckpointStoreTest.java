package io.hyperrec.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksCheckpointStoreTest {
    @TempDir Path dir;

    @Test
    void keepsTheLatestCheckpointAcrossReopen() {
        try (RocksCheckpointStore s = new RocksCheckpointStore(dir, "run")) {
            assertThat(s.load()).isEmpty();
            s.save(new byte[] {1, 2, 3});
            s.save(new byte[] {4, 5});
        }
        try (RocksCheckpointStore s = new RocksCheckpointStore(dir, "run")) {
            assertThat(s.load()).hasValueSatisfying(b -> assertThat(b).containsExactly(4, 5));
            s.clear();
            assertThat(s.load()).isEmpty();
        }
    }

    @Test
    void separatesRunsByName() {
        try (RocksCheckpointStore a = new RocksCheckpointStore(dir, "a")) {
            a.save(new byte[] {7});
        }
        try (RocksCheckpointStore b = new RocksCheckpointStore(dir, "b")) {
            assertThat(b.load()).isEmpty();
        }
    }

    @Test
    void namesTheDirectoryWhenItCannotOpen() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new RocksCheckpointStore(file, "run"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString());
    }
}
