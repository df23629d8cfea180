// hostile: memory - one native call that allocates about 100 MB, where no guard runs
// expect: failure big-join MEMORY
crm.handler({ name: 'big-join', on: ['fight'], writes: ['b'], update: function (e, p) { var s = new Array(900000).join('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); p.set('b', s.length); } });
