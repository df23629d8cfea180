// hostile: campaign - a live campaign without any cap
// expect: rejected INVALID_DECLARATION per-player cap
crm.campaign({ id: 'free-for-all', mode: 'live' });
crm.handler({ name: 'giver', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('free-for-all', {}); } });
