// hostile: memory - one native call that allocates about 300 MB, where no guard runs (a join of 160 pieces of 1 M characters: memory copies, some tens of ms of CPU at most, far below the deadline however slow the machine; the watchdog stops it inside the join, or the check after the call catches it)
// expect: failure big-join MEMORY
crm.handler({ name: 'big-join', on: ['fight'], writes: ['b'], update: function (e, p) { var s = 'xxxxxxxx'; for (var i = 0; i < 17; i++) { s += s; } var a = []; for (var j = 0; j < 160; j++) { a.push(s); } var t = a.join(''); p.set('b', t.length); } });
