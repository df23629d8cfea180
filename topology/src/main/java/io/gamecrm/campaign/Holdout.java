package io.gamecrm.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who is in a campaign's control group (holdout): a player is held out of campaign C when the
 * first 8 bytes of SHA-256("holdout:" + C + ":" + player_id), read as an unsigned big-endian
 * number and divided by 2^64, are below the campaign's share. The same on every machine, task,
 * restart and replay, so the CRM service and analysts can recompute it (e.g. in Python:
 * {@code int.from_bytes(hashlib.sha256(f"holdout:{c}:{p}".encode()).digest()[:8], "big") / 2**64 < share}).
 *
 * <p>The global holdout ({@code crm.holdout.global}) is drawn the same way, once per game, from
 * SHA-256("holdout-global:" + game + ":" + player_id): a player in it gets no offer of any campaign
 * of that game. The prefix differs from the per-campaign one, so no campaign id can draw the same
 * group.
 */
public final class Holdout {
    private Holdout() {
    }

    /** Where the player falls in [0, 1) for this campaign. */
    public static double position(String campaign, String playerId) {
        return draw("holdout:" + campaign + ":" + playerId);
    }

    /** Where the player falls in [0, 1) for the global holdout of the game. */
    public static double globalPosition(String game, String playerId) {
        return draw("holdout-global:" + game + ":" + playerId);
    }

    /** Whether the player is in the game's global holdout, whose share is {@code share} (0: nobody). */
    public static boolean heldOutGlobally(String game, String playerId, double share) {
        return share > 0 && globalPosition(game, playerId) < share;
    }

    /**
     * The group of a player whose offer of {@code campaign} fired: the game's global holdout first,
     * then the campaign's own holdout, else treated. The one place that order is decided: the CRM
     * core decides with it, and so does anyone who recomputes the groups (the demo's traffic).
     */
    public static Exposure.Group group(String game, String campaign, String playerId, double campaignShare,
                                       double globalShare) {
        if (heldOutGlobally(game == null ? "" : game, playerId, globalShare)) {
            return Exposure.Group.HOLDOUT_GLOBAL;
        }
        return heldOut(campaign, playerId, campaignShare) ? Exposure.Group.HOLDOUT : Exposure.Group.TREATED;
    }

    /** The global holdout share a topology started with these properties has ({@code crm.holdout.global}, default 0). */
    public static double globalShareOf(java.util.Properties p) {
        return checkGlobalShare(Double.parseDouble(p.getProperty(io.gamecrm.Names.Props.HOLDOUT_GLOBAL, "0").trim()));
    }

    /** Checks a global holdout share: in [0, 0.5], like a campaign's. */
    public static double checkGlobalShare(double share) {
        if (!(share >= 0 && share <= 0.5)) {
            throw new IllegalArgumentException("crm.holdout.global must be between 0 and 0.5, got " + share);
        }
        return share;
    }

    private static double draw(String key) {
        byte[] d = sha256(key);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        // unsigned 64-bit / 2^64, exact enough: the top 53 bits
        return (v >>> 11) * 0x1.0p-53;
    }

    /** Whether the player is held out of the campaign, whose holdout share is {@code share} (0: nobody). */
    public static boolean heldOut(String campaign, String playerId, double share) {
        return share > 0 && position(campaign, playerId) < share;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
