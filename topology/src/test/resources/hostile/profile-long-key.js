// hostile: profile - a key of 60000 characters
// expect: failure long-key ERROR key must be
crm.handler({ name: 'long-key', on: ['fight'], writes: ['k*'], update: function (e, p) { p.set('k' + new Array(60000).join('k'), 1); } });
