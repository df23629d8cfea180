// hostile: native - Function.prototype.apply with 10^7 arguments
// expect: failure big-apply ERROR arguments
crm.handler({ name: 'big-apply', on: ['fight'], writes: ['s'], update: function (e, p) { var a = []; a.length = 10000000; p.set('s', String.fromCharCode.apply(null, a).length); } });
