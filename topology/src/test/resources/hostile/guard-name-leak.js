// hostile: guard - reads the guard's name from Function.prototype.toString and tries to replace it through the global
// expect: rejected LOAD_TIMEOUT
var source = (function () {}).toString();
var name = source.substring(source.indexOf('__crm'), source.indexOf('('));
try {
    this[name] = function () {};
} catch (e) {
    // no global object to reach in strict mode
}
while (true) {}
