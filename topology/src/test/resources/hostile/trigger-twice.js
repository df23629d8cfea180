// hostile: campaign - asks for its campaign twice on one event
// expect: decision twice FIRED
// expect: decision twice ONCE_PER_EVENT
crm.campaign({ id: 'twice', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
crm.handler({ name: 'twice', on: ['login'], campaign: function (e, p, ctx) { ctx.trigger('twice', { n: 1 }); ctx.trigger('twice', { n: 2 }); } });
