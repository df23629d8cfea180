// hostile: guard - declares the instrumentation's guard to disarm it
// expect: rejected DOES_NOT_COMPILE reserved for the runtime
var __crm_g = function () { return 0; };
crm.handler({ name: 'x', on: ['fight'], writes: ['x'], update: function (e, p) { while (true) {} } });
