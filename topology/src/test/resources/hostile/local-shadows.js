// hostile: scope - shadows JSON and Math in its own scope (harmless: they are its own)
// expect: loads
// expect: profile bob shadow "mine"
var JSON = { stringify: function () { return 'x'; } };
var Math = { max: function () { return 1000000; } };
crm.handler({ name: 'shadower', on: ['fight'], writes: ['shadow'], update: function (e, p) {
    p.set('shadow', JSON.stringify({}) === 'x' && Math.max(1, 2) === 1000000 ? 'mine' : 'theirs');
} });
