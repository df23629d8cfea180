// hostile: kept state - a Date made at load, changed through its setters
// expect: failure clock-keeper ERROR read-only
var since = new Date(0);
crm.handler({ name: 'clock-keeper', on: ['fight'], writes: ['since'], update: function (e, p) { since.setTime(since.getTime() + 1); p.set('since', since.getTime()); } });
