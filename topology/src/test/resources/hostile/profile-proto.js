// hostile: profile - writes __proto__ to change the profile object's prototype
// expect: failure proto ERROR key
crm.handler({ name: 'proto', on: ['fight'], writes: ['__proto__', 'x'], update: function (e, p) { p.set('__proto__', { lost_streak: 3 }); } });
