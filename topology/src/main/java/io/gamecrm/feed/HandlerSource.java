package io.gamecrm.feed;

import io.gamecrm.campaign.CampaignControl;
import java.time.Duration;

/**
 * Where a CRM task gets its handler sets and campaign control: {@link HandlerFeed} (the handlers
 * topic) in the topology, a fixed set in tests.
 */
public interface HandlerSource extends AutoCloseable {
    /** Waits until the first set is compiled; false on timeout. */
    boolean awaitFirst(Duration timeout) throws InterruptedException;

    /** The newest compiled set not yet taken, or null. */
    HandlerFeed.Loaded takeLoaded();

    CampaignControl control();

    /** Why no set arrived, if known; null otherwise. */
    String lastError();

    @Override
    void close();
}
