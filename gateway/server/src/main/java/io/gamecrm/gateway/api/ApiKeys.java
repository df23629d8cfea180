package io.gamecrm.gateway.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * One API key per game. Keys are held as SHA-256 digests and looked up by the digest of the
 * presented key, so neither the lookup's timing nor a heap dump gives a key away.
 */
public final class ApiKeys {
    private static final int MIN_KEY_LENGTH = 16;

    private final Map<String, String> gameByDigest = new HashMap<>();

    /** @param keyByGame game -> its key (the {@code games:} section of the configuration) */
    public ApiKeys(Map<String, String> keyByGame) {
        if (keyByGame == null || keyByGame.isEmpty()) {
            throw new IllegalArgumentException("games: at least one game with its API key must be configured");
        }
        keyByGame.forEach((game, key) -> {
            if (game == null || game.isBlank()) {
                throw new IllegalArgumentException("games: a game name is empty");
            }
            if (key == null || key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("games." + game + ": the API key must have at least " + MIN_KEY_LENGTH
                        + " characters");
            }
            if (gameByDigest.putIfAbsent(digest(key), game) != null) {
                throw new IllegalArgumentException("games." + game + ": the same API key is given to two games");
            }
        });
    }

    /** The game whose key this is; empty for a missing or unknown key. */
    public Optional<String> game(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(gameByDigest.get(digest(presentedKey)));
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
