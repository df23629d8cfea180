// hostile: profile - stores a 100 KB value
// expect: failure hoarder ERROR
crm.handler({ name: 'hoarder', on: ['fight'], writes: ['blob'], update: function (e, p) { p.set('blob', new Array(100000).join('x')); } });
