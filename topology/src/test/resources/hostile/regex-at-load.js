// hostile: native - catastrophic regex while the file loads
// expect: rejected LOAD_STOPPED watchdog
var hit = /^(a|aa)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab');
crm.handler({ name: 'x', on: ['fight'], writes: ['x'], update: function (e, p) {} });
