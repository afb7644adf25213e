/**
 * The LLM tagger over an OpenAI-compatible chat-completions API (vLLM, Ollama, llama.cpp's server,
 * OpenAI) and its offline fallback.
 *
 * <p>How the pieces fit:
 *
 * <ul>
 *   <li>{@link io.hyperrec.enrichment.llm.LlmOptions} holds every setting (base URL, model,
 *       timeouts, attempts, backoff, concurrency, JSON mode, temperature, and the name of the
 *       environment variable holding the API key — never the key).
 *   <li>{@link io.hyperrec.enrichment.llm.ChatClient} sends one conversation to {@code POST
 *       /chat/completions} and owns every transport concern: the bearer key, retries with full
 *       jitter, {@code Retry-After}, the concurrency limit, and {@link
 *       io.hyperrec.enrichment.llm.LlmStats}. It hands each reply to a {@link
 *       io.hyperrec.enrichment.llm.ReplyParser}; a rejected reply ({@link
 *       io.hyperrec.enrichment.llm.InvalidReplyException}) costs an attempt and is answered with a
 *       repair message. Waits go through an injected {@link io.hyperrec.enrichment.llm.Sleeper}.
 *   <li>{@link io.hyperrec.enrichment.llm.LlmTagger} builds the item prompt (item as an untrusted,
 *       escaped JSON data object), parses the reply strictly and checks it with {@link
 *       io.hyperrec.enrichment.TaggingValidator}, consulting the {@link
 *       io.hyperrec.enrichment.cache.ReplyCache} first. {@link
 *       io.hyperrec.enrichment.llm.LlmUserSummarizer} does the same for a user's preference
 *       summary.
 *   <li>{@link io.hyperrec.enrichment.llm.FallbackTagger} puts the LLM tagger in front of the
 *       offline tagger, so a failing LLM yields an offline tagging marked as a fallback.
 * </ul>
 */
package io.hyperrec.enrichment.llm;
