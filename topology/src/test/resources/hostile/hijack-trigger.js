// hostile: campaign - asks for another file's campaign with a million tanks
// expect: failure hijacker ERROR unknown campaign
crm.handler({ name: 'hijacker', on: ['fight'], campaign: function (e, p, ctx) { ctx.trigger('battle-tanks-offer', { units: 1000000 }); } });
