// hostile: Java error - runaway recursion
// expect: failure recurse ERROR stack overflow
crm.handler({ name: 'recurse', on: ['fight'], writes: ['r'], update: function (e, p) { function f(n) { return f(n + 1) + 1; } f(0); } });
