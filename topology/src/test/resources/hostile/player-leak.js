// hostile: kept reference - remembers the last player id to leak it into the next player's profile
// expect: rejected DOES_NOT_COMPILE 'last'
var last = '';
crm.handler({ name: 'leaker', on: ['fight', 'login'], writes: ['previous'], update: function (e, p) { p.set('previous', last); last = e.player_id; } });
