// hostile: campaign - an offer with 10 MB of params
// expect: failure big-params ERROR
crm.campaign({ id: 'big-params', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
crm.handler({ name: 'big-params', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('big-params', { blob: new Array(200000).join('0123456789012345678901234567890123456789012345678') }); } });
