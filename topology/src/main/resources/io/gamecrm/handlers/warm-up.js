// Run by the runtime in every new script engine, before any designer file: it takes every path of
// the handler API once, so the engine has compiled and linked the runtime's code before it counts
// the time of a designer's handler (a first call of a path costs tens of milliseconds of linking).
crm.campaign({
    id: 'warm-up',
    mode: 'live',
    caps: { perPlayerPerDay: 1, cooldown: '1h', budget: { max: 10, per: '1m' } }
});

crm.handler({
    name: 'warm-up-update',
    on: ['*'],
    writes: ['n', 's', 'o', 'x_*'],
    update: function (event, profile) {
        var n = profile.incr('n');
        profile.incr('n', 2);
        profile.set('s', 'v' + profile.get('n', 0) + event.event_type);
        profile.set('o', { a: [1, 2, { b: true }], c: null, d: 'x' });
        profile.set('x_1', n * 1.5);
        profile.remove('x_1');
        profile.get('o', {}).a.length;
        if (profile.has('n') && profile.keys().length > 0) {
            crm.log('warm', n, { k: [1] });
        }
        Math.random();
        new Date().getTime();
        Date.now();
        var t = JSON.stringify({ a: [1, 'x'], b: { c: true } });
        JSON.parse(t);
        [3, 1, 2].sort().concat([4]).slice(1).map(function (v) { return v * 2; }).filter(function (v) { return v > 2; })
            .join(',').indexOf('4');
        'abc'.replace(/b/, 'c').split('').reverse().join('').toUpperCase().substring(1);
        try {
            null.x;
        } catch (e) {
            String(e);
        }
        for (var k in event.payload) {
            k.length;
        }
    }
});

crm.handler({
    name: 'warm-up-refused',
    on: ['*'],
    writes: ['r'],
    update: function (event, profile) {
        profile.set('not-declared', 1);
    }
});

crm.handler({
    name: 'warm-up-campaign',
    on: ['*'],
    campaign: function (event, profile, ctx) {
        if (ctx.eventTime >= 0 && profile.get('n', 0) >= 0) {
            ctx.trigger('warm-up', { units: 1, list: [1, 'a', null], nested: { b: false } });
            ctx.trigger('warm-up', {});
        }
        crm.log('asked');
    }
});

crm.handler({
    name: 'warm-up-throws',
    on: ['*'],
    campaign: function (event, profile, ctx) {
        profile.set('n', 1);
    }
});
