// hostile: declaration - offer params with a throwing getter
// expect: failure getter-params ERROR getter
crm.campaign({ id: 'getter-params', caps: { perPlayerPerDay: 1, budget: { max: 100, per: '1m' } } });
crm.handler({ name: 'getter-params', on: ['fight'], campaign: function (e, p, ctx) {
    ctx.trigger('getter-params', { get units() { throw new Error('surprise'); } });
} });
