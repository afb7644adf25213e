/**
 * The LLM reply cache: {@link io.hyperrec.enrichment.cache.ReplyCache} stores each validated reply
 * in RocksDB under (SHA-256 of the prompt's content, prompt version, model). The LLM tagger and
 * user summariser look a reply up before calling the chat API and store it after validating it, so
 * a replay of the same items through the same prompt and model makes no request; changing the
 * prompt or the model changes the key, so stale replies are never served for a new prompt. A cached
 * reply is validated again when read, so tightened rules also apply to old entries.
 */
package io.hyperrec.enrichment.cache;
