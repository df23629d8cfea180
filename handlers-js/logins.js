// Counts a player's logins and remembers when and where the last one happened.
crm.handler({
    name: 'count-logins',
    on: ['login'],
    writes: ['logins', 'last_login', 'platform'],
    update: function (event, profile) {
        profile.incr('logins');
        profile.set('last_login', event.timestamp);
        profile.set('platform', event.payload.platform);
    }
});
