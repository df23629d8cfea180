// hostile: campaign - calls crm.handler and ctx-like API from inside a handler call
// expect: failure late-declarer ERROR while the file loads
crm.handler({ name: 'late-declarer', on: ['fight'], writes: ['x'], update: function (e, p) { crm.campaign({ id: 'late', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } }); } });
