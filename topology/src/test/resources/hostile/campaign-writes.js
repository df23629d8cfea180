// hostile: profile - a campaign handler that writes the profile
// expect: failure sneaky ERROR read-only
crm.handler({ name: 'sneaky', on: ['fight'], campaign: function (e, p, ctx) { p.set('lost_streak', 3); } });
