// hostile: nondeterminism - counts events in a closure made at load
// expect: failure counter ERROR a variable that outlives its call
var next = (function () { var n = 0; return function () { return ++n; }; })();
crm.handler({ name: 'counter', on: ['fight'], writes: ['seq'], update: function (e, p) { p.set('seq', next()); } });
