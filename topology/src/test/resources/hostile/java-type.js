// hostile: Java - reaches for java.lang.System
// expect: rejected LOAD_ERROR
var System = Java.type('java.lang.System');
System.exit(1);
