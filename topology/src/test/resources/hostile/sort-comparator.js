// hostile: native - a sort comparator that never returns
// expect: failure sorter TIMEOUT
crm.handler({ name: 'sorter', on: ['fight'], writes: ['s'], update: function (e, p) { [3, 1, 2].sort(function (a, b) { while (true) {} }); } });
