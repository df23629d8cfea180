// hostile: run-time compilation - eval and indirect eval
// expect: rejected LOAD_ERROR
var e = eval;
e('while (true) {}');
