package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.ConversionRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A campaign's conversion rule, {@code conversion: {on, within, value}}: read from the file's
 * declaration into {@link CampaignDef#conversion()}; optional; a bad one refuses the file as
 * INVALID_DECLARATION with a reason that names the field.
 */
class ConversionDeclarationTest {
    private static HandlerSet.Compilation compile(String conversion) {
        return HandlerSet.compile(List.of(HandlerFile.of("t.js", "crm.campaign({id: 'gift', mode: 'shadow'"
                + (conversion == null ? "" : ", conversion: " + conversion) + "});")));
    }

    @Test
    void aConversionRuleIsReadWithItsEventTypeWindowAndValue() {
        HandlerSet.Compilation c = compile("{on: 'purchase', within: '24h', value: 'price'}");

        assertThat(c.problems()).isEmpty();
        assertThat(c.set().campaigns().get("gift").conversion())
                .isEqualTo(new ConversionRule("purchase", Duration.ofHours(24), "price"));
    }

    @Test
    void theValueIsOptionalAndACampaignWithoutARuleHasNone() {
        assertThat(compile("{on: 'offer_accepted', within: '2d'}").set().campaigns().get("gift").conversion())
                .isEqualTo(new ConversionRule("offer_accepted", Duration.ofDays(2), null));
        assertThat(compile(null).set().campaigns().get("gift").conversion()).isNull();
    }

    @Test
    void badConversionRulesAreRefusedAsInvalidDeclarations() {
        String[][] bad = {
            {"'purchase'", "conversion"},
            {"['purchase']", "conversion"},
            {"{within: '24h'}", "conversion.on"},
            {"{on: 'Purchase', within: '24h'}", "conversion.on"},
            {"{on: '*', within: '24h'}", "conversion.on"},
            {"{on: 7, within: '24h'}", "conversion.on"},
            {"{on: 'purchase'}", "conversion.within"},
            {"{on: 'purchase', within: '24 hours'}", "conversion.within"},
            {"{on: 'purchase', within: 3600}", "conversion.within"},
            {"{on: 'purchase', within: '31d'}", "conversion.within"},
            {"{on: 'purchase', within: '24h', value: 4}", "conversion.value"},
            {"{on: 'purchase', within: '24h', value: 'a..b'}", "conversion.value"},
            {"{on: 'purchase', within: '24h', value: ['price']}", "conversion.value"},
            {"{on: 'purchase', within: '24h', amount: 'price'}", "amount"},
        };
        for (String[] b : bad) {
            assertThat(compile(b[0]).problems()).as(b[0]).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(HandlerProblem.Kind.INVALID_DECLARATION);
                assertThat(p.reason()).contains(b[1]);
            });
        }
    }
}
