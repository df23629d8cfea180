// hostile: profile - a value nested 1001 levels deep
// expect: failure deep ERROR nested deeper
crm.handler({ name: 'deep', on: ['fight'], writes: ['deep'], update: function (e, p) { var v = 1; for (var i = 0; i < 1001; i++) { v = [v]; } p.set('deep', v); } });
