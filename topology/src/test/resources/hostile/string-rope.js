// hostile: memory - a string of 2^28 characters built by doubling, then stored
// expect: failure rope ERROR characters
crm.handler({ name: 'rope', on: ['fight'], writes: ['big'], update: function (e, p) { var s = 'x'; for (var i = 0; i < 28; i++) { s = s + s; } p.set('big', s); } });
