// hostile: load - allocates without end while loading
// expect: rejected LOAD_MEMORY
var keep = [];
while (true) { keep.push(new Array(20000).join('xxxxx')); }
