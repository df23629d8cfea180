// hostile: native - indexOf over an array of length 2^32-1
// expect: failure sparse-search ERROR limit
crm.handler({ name: 'sparse-search', on: ['fight'], writes: ['i'], update: function (e, p) { var a = []; a.length = 4294967295; p.set('i', a.indexOf(1)); } });
