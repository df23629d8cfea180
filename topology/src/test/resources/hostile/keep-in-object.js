// hostile: kept reference - keeps the profile in an object made at load
// expect: failure box-keeper ERROR
var box = {};
crm.handler({ name: 'box-keeper', on: ['fight'], writes: ['k'], update: function (e, p) { if (box.p) { box.p.set('k', 1); } box.p = p; } });
