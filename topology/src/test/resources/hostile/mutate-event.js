// hostile: event - changes the event for the handlers after it
// expect: failure event-vandal ERROR
crm.handler({ name: 'event-vandal', on: ['fight'], writes: ['x'], update: function (e, p) { e.payload.result = 'lost'; } });
