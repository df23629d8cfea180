// hostile: global binding - replaces JSON from inside a handler call
// expect: failure json-vandal ERROR
crm.handler({ name: 'json-vandal', on: ['fight'], writes: ['vandal'], update: function (e, p) { JSON = { stringify: function () { return '{}'; } }; } });
