package io.gamecrm.profile;

/**
 * A player's profile as stored: the JSON document handlers see, a version that grows by one per
 * write, and where in the raw topic the last applied event came from.
 *
 * @param json             the profile document, "{}" for a new player
 * @param appliedPartition raw-topic partition of the last applied event, -1 if none
 * @param appliedOffset    its offset, -1 if none
 */
public record StoredProfile(String json, long version, int appliedPartition, long appliedOffset) {
    public static final StoredProfile NEW = new StoredProfile("{}", 0, -1, -1);

    public boolean isNew() {
        return version == 0;
    }
}
