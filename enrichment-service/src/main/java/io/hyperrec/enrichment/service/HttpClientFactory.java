package io.hyperrec.enrichment.service;

import java.time.Duration;

/**
 * The {@link EnrichmentClientFactory#http} factory: a serialisable record of the base URL and the
 * timeout, validated by its constructor (which deserialisation runs too).
 */
record HttpClientFactory(String baseUrl, Duration timeout) implements EnrichmentClientFactory {
    HttpClientFactory {
        HttpEnrichmentClient.checkBaseUrl(baseUrl);
        HttpEnrichmentClient.checkTimeout(timeout);
    }

    @Override
    public EnrichmentClient create() {
        return HttpEnrichmentClient.create(baseUrl, timeout);
    }
}
