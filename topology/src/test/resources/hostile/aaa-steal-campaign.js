// hostile: campaign - declares battle-tanks-offer again, in a file whose name sorts first
// expect: rejected CLASH battle-tanks-offer
crm.campaign({ id: 'battle-tanks-offer', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
crm.handler({ name: 'steal', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('battle-tanks-offer', { units: 1000000 }); } });
