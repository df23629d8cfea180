// hostile: kept reference - keeps ctx in a closure made at load, to trigger later
// expect: failure ctx-keeper ERROR
crm.campaign({ id: 'hostile-closure', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
var stash = (function () { var s = null; return { put: function (v) { s = v; }, get: function () { return s; } }; })();
crm.handler({ name: 'ctx-keeper', on: ['fight'], campaign: function (e, p, ctx) { stash.put(ctx); } });
crm.handler({ name: 'ctx-user', on: ['login'], campaign: function (e, p, ctx) { if (stash.get()) { stash.get().trigger('hostile-closure', {}); } } });
