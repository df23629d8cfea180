// hostile: wrapper escape - closes the runtime's wrapper to run at the global top level, then loops
// expect: rejected DOES_NOT_COMPILE Expected
}); while (true) {} (function () {
