package io.gamecrm.cli;

import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.cli.traffic.OfferResponse;
import io.gamecrm.offline.OfflineRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the generated players answer the campaign's offer ({@link OfferResponse}), shared by
 * {@code crm demo} and {@code crm load}: the campaign as the handler files declare it (holdout,
 * cap, conversion window, read by the offline runner as a CRM task loads them) and the global
 * holdout of the properties.
 */
public final class ResponseOptions {
    /** The campaign of the shipped story. */
    static final String SHIPPED_CAMPAIGN = "battle-tanks-offer";

    @Option(names = "--response-campaign", defaultValue = SHIPPED_CAMPAIGN, paramLabel = "ID",
            description = "The campaign whose offer the players answer (default: ${DEFAULT-VALUE}).")
    String campaign;

    @Option(names = "--treated-rate", defaultValue = "0.30", paramLabel = "P",
            description = "Share of players who got the offer and buy within its conversion window (default: "
                    + "${DEFAULT-VALUE}).")
    double treatedRate;

    @Option(names = "--held-out-rate", defaultValue = "0.20", paramLabel = "P",
            description = "Share of held-out players who buy within the window (default: ${DEFAULT-VALUE}); the true "
                    + "uplift is the difference.")
    double heldOutRate;

    @Option(names = "--response-delay", converter = DurationConverter.class, defaultValue = "2m",
            description = "A purchase comes within this long of the offer, in event time (default: ${DEFAULT-VALUE}).")
    Duration delay;

    @Option(names = "--no-response", description = "Players do not answer offers (the traffic of earlier versions).")
    boolean none;

    /** Refuses bad rates or delay before anything starts (exit code 2). */
    void check(CommandLine cl) {
        if (!(treatedRate >= 0 && treatedRate <= 1 && heldOutRate >= 0 && heldOutRate <= 1)) {
            throw new CommandLine.ParameterException(cl, "--treated-rate and --held-out-rate must be within 0..1, got "
                    + treatedRate + " and " + heldOutRate);
        }
        if (delay.isNegative() || delay.isZero()) {
            throw new CommandLine.ParameterException(cl, "--response-delay must be positive, got " + delay);
        }
    }

    /**
     * The response to the campaign in {@code handlers}, or null with --no-response or when the
     * campaign is not there or declares no purchase conversion (then {@code warn} says why).
     */
    OfferResponse resolve(Path handlers, Properties flux, java.util.function.Consumer<String> warn) throws IOException {
        if (none) {
            return null;
        }
        OfflineRun.Options options = OfflineRun.Options.fromProperties(flux, Clock.systemUTC());
        OfflineRun.Report loaded = OfflineRun.run(handlers, List.of(), Map.of(), options);
        CampaignDef def = loaded.campaigns().get(campaign);
        if (def == null) {
            warn.accept("no campaign " + campaign + " in " + handlers + ": players do not answer offers"
                    + (loaded.rejectedFiles().isEmpty() ? "" : " (rejected: " + loaded.rejectedFiles().stream()
                            .map(p -> p.file() + ": " + p.reason()).toList() + ")"));
            return null;
        }
        OfferResponse r = OfferResponse.to(def, options.globalHoldout(), treatedRate, heldOutRate, delay, true);
        if (r == null) {
            warn.accept("campaign " + campaign + " declares no purchase conversion: players do not answer offers");
        }
        return r;
    }
}
