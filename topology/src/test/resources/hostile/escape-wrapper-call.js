// hostile: wrapper escape - closes the wrapper, calls it, and opens a new one
// expect: rejected DOES_NOT_COMPILE
})(); var leaked = 1; (function () {
