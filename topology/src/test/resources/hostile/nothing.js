// hostile: load - registers nothing
// expect: rejected NOTHING_REGISTERED
var x = 1;
