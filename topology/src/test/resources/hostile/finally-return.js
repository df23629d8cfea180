// hostile: time - a finally that returns, to swallow the budget's error, then loops on
// expect: failure swallower TIMEOUT
crm.handler({ name: 'swallower', on: ['fight'], writes: ['s'], update: function (e, p) { for (;;) { (function () { try { for (;;) {} } finally { return; } })(); } } });
