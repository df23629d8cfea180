// hostile: wrapper escape - a top-level return, valid only inside the wrapper function
// expect: rejected DOES_NOT_COMPILE Invalid return
crm.handler({ name: 'x', on: ['fight'], writes: ['x'], update: function (e, p) {} });
return;
