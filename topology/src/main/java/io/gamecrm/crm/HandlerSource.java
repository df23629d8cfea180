package io.gamecrm.crm;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerSet;
import java.time.Duration;
import java.util.List;

/**
 * Where a CRM task gets its handler sets and campaign control: the pipeline's port, implemented by
 * {@code io.gamecrm.feed.HandlerFeed} (the handlers topic) in the topology, by a fixed set in tests.
 */
public interface HandlerSource extends AutoCloseable {
    /** A compiled set ready to be swapped in, with the sequence number of the manifest it came from. */
    record Loaded(HandlerSet set, long manifestSeq, List<HandlerProblem> problems, long compileMillis) {
    }

    /** Waits until the first set is compiled; false on timeout. */
    boolean awaitFirst(Duration timeout) throws InterruptedException;

    /** The newest compiled set not yet taken, or null. */
    Loaded takeLoaded();

    CampaignControl control();

    /** Why no set arrived, if known; null otherwise. */
    String lastError();

    @Override
    void close();
}
