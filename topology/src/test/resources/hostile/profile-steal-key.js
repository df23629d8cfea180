// hostile: profile - declares lost_streak, which fight-streak.js already writes
// expect: rejected CLASH lost_streak
crm.handler({ name: 'streak-faker', on: ['fight'], writes: ['lost_streak'], update: function (e, p) { p.set('lost_streak', 3); } });
