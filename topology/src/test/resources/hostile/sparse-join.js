// hostile: native - join of an array of length 10^9
// expect: failure sparse-join ERROR limit
crm.handler({ name: 'sparse-join', on: ['fight'], writes: ['j'], update: function (e, p) { var a = []; a.length = 1000000000; p.set('j', a.join(',').length); } });
