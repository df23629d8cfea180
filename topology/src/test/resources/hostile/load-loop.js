// hostile: load - a top level that never ends
// expect: rejected LOAD_TIMEOUT to load
while (true) {}
