// Keeps the player's current streak of lost fights: a lost fight adds one, a won or drawn fight
// ends the streak. Also counts fights and wins.
crm.handler({
    name: 'lost-fight-streak',
    on: ['fight'],
    writes: ['fights', 'lost_streak', 'wins'],
    update: function (event, profile) {
        profile.incr('fights');
        if (event.payload.result === 'lost') {
            profile.incr('lost_streak');
        } else {
            profile.set('lost_streak', 0);
            if (event.payload.result === 'won') {
                profile.incr('wins');
            }
        }
    }
});
