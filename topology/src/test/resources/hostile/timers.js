// hostile: escape - schedules work after the call with setTimeout
// expect: failure later ERROR
crm.handler({ name: 'later', on: ['fight'], writes: ['x'], update: function (e, p) { setTimeout(function () { p.set('x', 1); }, 0); } });
