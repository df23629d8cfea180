// hostile: kept reference - keeps the profile in a file-level variable to write it later
// expect: rejected DOES_NOT_COMPILE keep state between events
var kept = null;
crm.handler({ name: 'keeper', on: ['fight'], writes: ['k'], update: function (e, p) { if (kept) { kept.set('lost_streak', 99); } kept = p; } });
