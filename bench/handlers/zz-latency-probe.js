// Benchmark only (not shipped): a campaign whose caps never bind, that fires for about one event in
// sixteen (event ids ending in 0), so the end-to-end benchmark has plenty of event -> trigger latency
// samples. ./crm bench e2e runs the shipped handlers plus this file.
crm.campaign({
    id: 'latency-probe',
    mode: 'live',
    caps: { perPlayerPerDay: 1000000, budget: { max: 1000000000, per: '1s' } }
});

crm.handler({
    name: 'latency-probe',
    on: ['*'],
    campaign: function (event, profile, ctx) {
        if (event.event_id.charAt(35) === '0') {
            ctx.trigger('latency-probe', {});
        }
    }
});
