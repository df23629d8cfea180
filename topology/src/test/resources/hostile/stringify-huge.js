// hostile: native - JSON.stringify of an array of 5*10^7 holes
// expect: failure stringify TIMEOUT
crm.handler({ name: 'stringify', on: ['fight'], writes: ['s'], update: function (e, p) { var a = []; a.length = 50000000; p.set('s', JSON.stringify(a).length); } });
