// hostile: run-time compilation - the Function constructor through a function's constructor
// expect: rejected LOAD_ERROR
var F = (function () {}).constructor;
F('while (true) {}')();
