// hostile: output - prints stack traces to stderr
// expect: failure printer ERROR
crm.handler({ name: 'printer', on: ['fight'], writes: ['t'], update: function (e, p) { Error.dumpStack(); new Error('x').printStackTrace(); } });
