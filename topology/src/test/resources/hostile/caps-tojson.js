// hostile: declaration - caps whose toJSON returns undefined
// expect: rejected INVALID_DECLARATION function
crm.campaign({ id: 'no-caps', caps: { toJSON: function () { return undefined; }, perPlayerPerDay: 1 } });
