// hostile: Java error - runaway recursion that catches the overflow at every level
// expect: failure recurse-catching ERROR stack overflow
crm.handler({ name: 'recurse-catching', on: ['fight'], writes: ['r'], update: function (e, p) { function f(n) { try { return f(n + 1); } catch (x) { return f(n + 1); } } f(0); } });
