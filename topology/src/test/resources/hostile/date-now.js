// hostile: nondeterminism - reads the wall clock
// expect: loads
// expect: profile bob now 1767261605000
crm.handler({ name: 'clock', on: ['login'], writes: ['now', 'iso'], update: function (e, p) { p.set('now', Date.now()); p.set('iso', new Date().toISOString()); } });
