// hostile: campaign - asks for a thousand offers in one call
// expect: failure flooder ERROR more than
crm.campaign({ id: 'flood', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
crm.handler({ name: 'flooder', on: ['fight'], campaign: function (e, p, ctx) { for (var i = 0; i < 1000; i++) { ctx.trigger('flood', { i: i }); } } });
