// hostile: output - throws an error with a 5 MB message
// expect: failure shouter ERROR characters
crm.handler({ name: 'shouter', on: ['fight'], writes: ['t'], update: function (e, p) { throw new Error(new Array(100000).join('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')); } });
