// hostile: memory - allocates in a loop until the heap is gone (1 MB a step: the memory limit is reached within a few guard checks, long before the CPU budget, however slow or cold the machine)
// expect: failure bomb MEMORY
crm.handler({ name: 'bomb', on: ['fight'], writes: ['b'], update: function (e, p) { var keep = []; function grow() { keep.push(new Array(20000).join('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')); } while (true) { grow(); } } });
