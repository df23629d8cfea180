// UpliftProofIT's campaign: the shipped story's offer (a third fight lost in a row, one a day) with
// half of the players held out, so both groups are large, and a budget no run comes near (the one cap
// that counts wall-clock time: the test replays hours of event time in seconds).
crm.campaign({
    id: 'proof-offer',
    mode: 'live',
    caps: { perPlayerPerDay: 1, budget: { max: 10000000, per: '1m' } },
    holdout: 0.5,
    conversion: { on: 'purchase', within: '24h', value: 'price' }
});

crm.handler({
    name: 'proof-after-three-losses',
    on: ['fight'],
    campaign: function (event, profile, ctx) {
        if (event.payload.result === 'lost' && profile.get('lost_streak', 0) === 3) {
            ctx.trigger('proof-offer', { units: 4 });
        }
    }
});
