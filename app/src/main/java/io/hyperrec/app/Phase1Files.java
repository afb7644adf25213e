package io.hyperrec.app;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.train.Variant;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code PREFIX.phase1-user.f32} and {@code PREFIX.phase1-item.f32}. */
final class Phase1Files {
    static final int DIM = 50;

    private Phase1Files() {}

    static float[][] read(Path prefix, Dataset ds, Variant variant) {
        if (prefix == null) {
            throw new IllegalArgumentException(
                    "--variant "
                            + variant.name().toLowerCase()
                            + " needs --phase1 PREFIX (reads PREFIX.phase1-user.f32 and PREFIX.phase1-item.f32)");
        }
        Path users = Path.of(prefix + ".phase1-user.f32");
        Path items = Path.of(prefix + ".phase1-item.f32");
        for (Path p : new Path[] {users, items}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--phase1 " + prefix + ": file not found: " + p);
            }
        }
        return new float[][] {
            RecboleReader.readF32(users, ds.users().size(), DIM),
            RecboleReader.readF32(items, ds.items().size(), DIM)
        };
    }
}
