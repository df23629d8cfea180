// hostile: profile - adds 1000 keys
// expect: failure key-flood ERROR keys
crm.handler({ name: 'key-flood', on: ['fight'], writes: ['k_*'], update: function (e, p) { for (var i = 0; i < 1000; i++) { p.set('k_' + i, i); } } });
