// hostile: declaration - an 'on' array whose element is a getter, which could change after the check
// expect: rejected INVALID_DECLARATION invalid entry
var types = ['fight'];
Object.defineProperty(types, 0, { get: function () { return Math.random() < 2 ? 'fight' : 'login'; } });
crm.handler({ name: 'shifty', on: types, writes: ['s'], update: function (e, p) {} });
