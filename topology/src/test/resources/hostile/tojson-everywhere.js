// hostile: prototype - a toJSON on Object.prototype to rewrite every serialized value
// expect: rejected LOAD_ERROR
Object.defineProperty(Object.prototype, 'toJSON', { value: function () { return { units: 1000000 }; } });
