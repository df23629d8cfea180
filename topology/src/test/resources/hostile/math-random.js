// hostile: nondeterminism - draws random numbers to decide
// expect: loads
// expect: deterministic
crm.campaign({ id: 'lottery', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
crm.handler({ name: 'lottery', on: ['fight', 'login'], campaign: function (e, p, ctx) { if (Math.random() < 0.5) { ctx.trigger('lottery', { r: Math.random() }); } } });
