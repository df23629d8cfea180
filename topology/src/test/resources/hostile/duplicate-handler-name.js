// hostile: clash - a handler named like the shipped streak handler
// expect: rejected CLASH lost-fight-streak
crm.handler({ name: 'lost-fight-streak', on: ['fight'], writes: ['n'], update: function (e, p) {} });
