package io.gamecrm.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Open exposures and their conversions:
 * <ul>
 *   <li>an event of the rule's type within the window converts the latest open exposure of the campaign, once;</li>
 *   <li>not before the exposure, not after the window (expired exposures are dropped);</li>
 *   <li>offer_accepted with the trigger id, or offer_trigger_id in an event of the rule's type, attributes exactly;</li>
 *   <li>a campaign without a rule keeps nothing open; at most MAX_OPEN are kept;</li>
 *   <li>they survive the state row (JSON) with the rule they were exposed under;</li>
 *   <li>the payload is read only for an event that can convert (offer_accepted, or an open rule's type).</li>
 * </ul>
 */
class OpenExposuresTest {
    private static final long H = 3_600_000L;
    private static final ConversionRule PURCHASE_24H = new ConversionRule("purchase", Duration.ofHours(24), "price");

    private static Exposure exposure(String campaign, Exposure.Group group, String triggerId, long atMs) {
        return new Exposure(campaign, "bob", group, triggerId, "cause-" + triggerId, atMs);
    }

    @Test
    void aPurchaseWithinTheWindowConvertsTheExposureOnceWithItsValue() {
        OpenExposures x = OpenExposures.empty();
        Exposure e = exposure("tanks", Exposure.Group.TREATED, "t1", 0);
        x.add(e, PURCHASE_24H);

        List<Conversion> first = x.convert("p1", "purchase", 2 * H, Map.of("price", 4.99));
        List<Conversion> second = x.convert("p2", "purchase", 3 * H, Map.of("price", 4.99));

        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.exposure()).isEqualTo(e);
            assertThat(c.value()).isEqualTo(4.99);
            assertThat(c.attribution()).isEqualTo(Conversion.Attribution.WINDOW);
            assertThat(c.eventId()).isEqualTo("p1");
        });
        assertThat(second).isEmpty();
        assertThat(x.isEmpty()).isTrue();
    }

    @Test
    void thePayloadIsReadOnlyForAnEventThatCanConvert() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.TREATED, "t1", 0), PURCHASE_24H);
        int[] reads = {0};
        Supplier<Map<String, Object>> payload = () -> {
            reads[0]++;
            return Map.of("price", 1.0);
        };

        assertThat(x.convert("f1", "fight", H, payload)).isEmpty();
        assertThat(reads[0]).isZero();
        assertThat(x.convert("a1", OpenExposures.OFFER_ACCEPTED, H, payload)).isEmpty();
        assertThat(reads[0]).isEqualTo(1);
        assertThat(x.convert("p1", "purchase", 2 * H, payload)).hasSize(1);
        assertThat(reads[0]).isEqualTo(2);
    }

    @Test
    void otherEventTypesDoNotConvertAndHeldOutExposuresConvertLikeTreatedOnes() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.HOLDOUT, "t1", 0), PURCHASE_24H);

        assertThat(x.convert("l1", "login", H, Map.of())).isEmpty();
        assertThat(x.convert("p1", "purchase", 2 * H, Map.of())).singleElement()
                .satisfies(c -> assertThat(c.exposure().group()).isEqualTo(Exposure.Group.HOLDOUT));
    }

    @Test
    void nothingConvertsAfterTheWindowOrBeforeTheExposure() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.TREATED, "t1", 10 * H), PURCHASE_24H);

        assertThat(x.convert("late-arrival", "purchase", 9 * H, Map.of())).isEmpty();
        assertThat(x.convert("edge", "purchase", 34 * H, Map.of())).hasSize(1);

        x.add(exposure("tanks", Exposure.Group.TREATED, "t2", 40 * H), PURCHASE_24H);
        assertThat(x.convert("too-late", "purchase", 64 * H + 1, Map.of())).isEmpty();
        assertThat(x.isEmpty()).as("the expired exposure is dropped").isTrue();
    }

    @Test
    void anEventConvertsTheLatestOpenExposurePerCampaignAndOnePerCampaign() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.TREATED, "t1", 0), PURCHASE_24H);
        x.add(exposure("tanks", Exposure.Group.TREATED, "t2", H), PURCHASE_24H);
        x.add(exposure("gift", Exposure.Group.HOLDOUT, "g1", H), PURCHASE_24H);

        List<Conversion> c = x.convert("p1", "purchase", 2 * H, Map.of());

        assertThat(c).extracting(v -> v.exposure().triggerId()).containsExactlyInAnyOrder("t2", "g1");
        assertThat(x.open()).extracting(o -> o.exposure().triggerId()).containsExactly("t1");
    }

    @Test
    void anAcceptedOfferOrAPurchaseNamingItsTriggerAttributesExactly() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.TREATED, "t1", 0), PURCHASE_24H);
        x.add(exposure("tanks", Exposure.Group.TREATED, "t2", H), PURCHASE_24H);
        x.add(exposure("tanks", Exposure.Group.TREATED, "t3", H), PURCHASE_24H);

        assertThat(x.convert("a1", "offer_accepted", 2 * H, Map.of("trigger_id", "t1", "campaign", "tanks")))
                .singleElement().satisfies(c -> {
                    assertThat(c.exposure().triggerId()).isEqualTo("t1");
                    assertThat(c.attribution()).isEqualTo(Conversion.Attribution.OFFER_ACCEPTED);
                });
        assertThat(x.convert("p1", "purchase", 2 * H, Map.of("offer_trigger_id", "t2", "price", 1)))
                .singleElement().satisfies(c -> {
                    assertThat(c.exposure().triggerId()).isEqualTo("t2");
                    assertThat(c.attribution()).isEqualTo(Conversion.Attribution.TRIGGER_ID);
                });
        assertThat(x.convert("a2", "offer_accepted", 2 * H, Map.of("trigger_id", "unknown", "campaign", "tanks")))
                .isEmpty();
        assertThat(x.open()).extracting(o -> o.exposure().triggerId()).containsExactly("t3");
    }

    @Test
    void aCampaignWithoutARuleKeepsNothingOpenAndAtMostMaxOpenAreKept() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.TREATED, "t0", 0), null);
        assertThat(x.isEmpty()).isTrue();

        for (int i = 0; i < OpenExposures.MAX_OPEN + 5; i++) {
            x.add(exposure("c" + i, Exposure.Group.TREATED, "t" + i, i), PURCHASE_24H);
        }
        assertThat(x.open()).hasSize(OpenExposures.MAX_OPEN);
        assertThat(x.open().get(0).exposure().triggerId()).isEqualTo("t5");
    }

    @Test
    void openExposuresSurviveTheStateRowWithTheirRule() {
        OpenExposures x = OpenExposures.empty();
        x.add(exposure("tanks", Exposure.Group.HOLDOUT_GLOBAL, "t1", 5), PURCHASE_24H);
        x.add(exposure("gift", Exposure.Group.TREATED, "g1", 7), new ConversionRule("build", Duration.ofMinutes(30), null));

        OpenExposures back = OpenExposures.fromJson("bob", x.toJson());

        assertThat(back.open()).isEqualTo(x.open());
        assertThat(OpenExposures.fromJson("bob", null).isEmpty()).isTrue();
        assertThatThrownBy(() -> OpenExposures.fromJson("bob", "[{\"campaign\":1}]"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
