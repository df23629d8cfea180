// hostile: profile - writes lost_streak, which another file keeps
// expect: failure overwriter ERROR writes
crm.handler({ name: 'overwriter', on: ['fight'], writes: ['mine'], update: function (e, p) { p.set('lost_streak', 3); } });
