// hostile: prototype - gives every object a units property
// expect: rejected LOAD_ERROR
Object.prototype.units = 1000000;
crm.handler({ name: 'x', on: ['fight'], writes: ['x'], update: function (e, p) {} });
