package io.hyperrec.enrichment.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.cache.ReplyCache.Key;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplyCacheTest {
    @TempDir Path dir;

    private static final Key KEY = Key.of("{\"title\":\"Headphones\"}", "tag-v1", "qwen2.5:7b");

    @Test
    void returnsEmptyForAKeyNeverPut() {
        try (ReplyCache cache = ReplyCache.open(dir)) {
            assertThat(cache.get(KEY)).isEmpty();
        }
    }

    @Test
    void returnsTheLastReplyPutUnderAKey() {
        try (ReplyCache cache = ReplyCache.open(dir)) {
            cache.put(KEY, "{\"summary\":\"first\"}");
            cache.put(KEY, "{\"summary\":\"ünïcødé\"}");

            assertThat(cache.get(KEY)).contains("{\"summary\":\"ünïcødé\"}");
        }
    }

    @Test
    void keepsRepliesAcrossReopen() {
        try (ReplyCache cache = ReplyCache.open(dir.resolve("nested/cache"))) {
            cache.put(KEY, "reply");
        }
        try (ReplyCache reopened = ReplyCache.open(dir.resolve("nested/cache"))) {
            assertThat(reopened.get(KEY)).contains("reply");
        }
    }

    @Test
    void keysDifferByContentPromptVersionAndModel() {
        try (ReplyCache cache = ReplyCache.open(dir)) {
            cache.put(KEY, "reply");

            assertThat(cache.get(Key.of("{\"title\":\"Speakers\"}", "tag-v1", "qwen2.5:7b")))
                    .isEmpty();
            assertThat(cache.get(new Key(KEY.contentHash(), "tag-v2", KEY.model()))).isEmpty();
            assertThat(cache.get(new Key(KEY.contentHash(), KEY.promptVersion(), "llama3")))
                    .isEmpty();
            assertThat(cache.get(Key.of("{\"title\":\"Headphones\"}", "tag-v1", "qwen2.5:7b")))
                    .contains("reply");
        }
    }

    @Test
    void hashesContentAsSha256Hex() {
        assertThat(Key.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void keyRejectsMalformedPartsNamingThem() {
        assertThatThrownBy(() -> new Key("abc", "v1", "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contentHash")
                .hasMessageContaining("'abc'");
        assertThatThrownBy(() -> Key.of("x", " ", "m")).hasMessageContaining("promptVersion");
        assertThatThrownBy(() -> Key.of("x", "v1", "a\0b")).hasMessageContaining("model");
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsNamingIt() {
        try (ReplyCache cache = ReplyCache.open(dir)) {
            assertThatThrownBy(() -> ReplyCache.open(dir))
                    .isInstanceOf(EnrichmentException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("cannot open");
            assertThat(cache.get(KEY)).isEmpty();
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        ReplyCache cache = ReplyCache.open(dir);
        cache.close();
        cache.close();

        assertThatThrownBy(() -> cache.get(KEY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> cache.put(KEY, "x")).isInstanceOf(IllegalStateException.class);
    }
}
