// hostile: memory - allocates in a loop until the heap is gone
// expect: failure bomb MEMORY
crm.handler({ name: 'bomb', on: ['fight'], writes: ['b'], update: function (e, p) { var keep = []; while (true) { keep.push(new Array(20000).join('xxxxx')); } } });
