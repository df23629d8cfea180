// hostile: load - throws at its top level
// expect: rejected LOAD_ERROR boom
throw new Error('boom');
