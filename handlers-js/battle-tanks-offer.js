// The seed's story: when a player loses a third fight in a row, offer four battle tanks.
crm.campaign({
    id: 'battle-tanks-offer',
    mode: 'live',
    caps: {
        perPlayerPerDay: 1,              // at most one offer per player per day (UTC)
        budget: { max: 600, per: '1m' }  // at most 600 offers a minute in all, else the campaign pauses
    },
    // a control group: 10% of players (by a hash of campaign and player id, see handlers-js/README.md)
    // qualify like the others but get no offer, so that the offer's effect can be measured
    holdout: 0.1,
    // what counts as the offer working: a purchase within a day (its price is the value);
    // `crm query campaign battle-tanks-offer` counts exposures and conversions live
    conversion: { on: 'purchase', within: '24h', value: 'price' }
});

crm.handler({
    name: 'tanks-after-three-losses',
    on: ['fight'],
    campaign: function (event, profile, ctx) {
        // lost_streak is kept by lost-fight-streak (fight-streak.js), which runs before campaigns
        if (event.payload.result === 'lost' && profile.get('lost_streak', 0) === 3) {
            ctx.trigger('battle-tanks-offer', { units: 4 });
        }
    }
});
