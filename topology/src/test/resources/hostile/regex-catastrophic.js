// hostile: native - catastrophic regex backtracking in one built-in call
// expect: failure backtrack STOPPED
crm.handler({ name: 'backtrack', on: ['fight'], writes: ['m'], update: function (e, p) { p.set('m', /^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')); } });
