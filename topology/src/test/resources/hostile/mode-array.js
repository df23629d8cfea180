// hostile: declaration - mode: ['live'] instead of a string
// expect: rejected INVALID_DECLARATION 'mode'
crm.campaign({ id: 'array-mode', mode: ['live'], caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
