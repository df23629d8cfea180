/*
 * Evaluated after the prelude and before any handler file. Handler files share one global, so
 * nothing a file does to the built-ins may reach another file or the runtime: the built-in
 * constructors and prototypes are frozen, and the ways to compile code at run time (eval, the
 * Function constructor), which would escape the time-budget instrumentation, are removed.
 */
(function (g) {
    'use strict';
    var F = Function;
    Object.defineProperty(F.prototype, 'constructor', { value: undefined, writable: false, configurable: false });
    ['eval', 'Function'].forEach(function (name) {
        try { delete g[name]; } catch (e) { /* not deletable */ }
        Object.defineProperty(g, name, { value: undefined, writable: false, configurable: false, enumerable: false });
    });
    [Object, Object.prototype, F, F.prototype, Array, Array.prototype, String, String.prototype, Number,
     Number.prototype, Boolean, Boolean.prototype, Date, Date.prototype, RegExp, RegExp.prototype, Error,
     Error.prototype, TypeError, TypeError.prototype, RangeError, RangeError.prototype, SyntaxError,
     SyntaxError.prototype, ReferenceError, ReferenceError.prototype, EvalError, EvalError.prototype,
     URIError, URIError.prototype, JSON, Math].forEach(Object.freeze);
})(this);
