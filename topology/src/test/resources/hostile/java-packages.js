// hostile: Java - through the Packages and java globals
// expect: rejected LOAD_ERROR
var r = java.lang.Runtime.getRuntime();
r.exec('rm -rf /');
