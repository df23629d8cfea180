// hostile: scope tricks - a with statement (strict mode forbids it)
// expect: rejected DOES_NOT_COMPILE strict
with (Math) { crm.handler({ name: 'x', on: ['fight'], writes: ['x'], update: function (e, p) {} }); }
