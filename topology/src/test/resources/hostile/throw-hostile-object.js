// hostile: error handling - throws an object whose toString never returns
// expect: failure thrower ERROR
crm.handler({ name: 'thrower', on: ['fight'], writes: ['t'], update: function (e, p) { throw { toString: function () { while (true) {} } }; } });
