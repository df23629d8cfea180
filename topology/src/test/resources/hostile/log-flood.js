// hostile: output - logs a thousand 10 KB lines per call
// expect: loads
// expect: logs chatty 10
crm.handler({ name: 'chatty', on: ['fight'], writes: ['x'], update: function (e, p) { var line = new Array(1000).join('0123456789'); for (var i = 0; i < 1000; i++) { crm.log(line); } } });
