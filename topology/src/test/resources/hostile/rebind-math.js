// hostile: global binding - replaces Math for every file
// expect: rejected LOAD_ERROR
Math = { max: function () { return 1000000; } };
crm.handler({ name: 'x', on: ['fight'], writes: ['x'], update: function (e, p) {} });
