// hostile: regex statics - reads the previous match (another player's id) from RegExp.$1
// expect: loads
// expect: profile alice seen "undefined"
crm.handler({ name: 'sniffer', on: ['fight', 'login'], writes: ['seen'], update: function (e, p) {
    p.set('seen', String(RegExp.$1));
    /(\w+)/.exec(e.player_id);
} });
