// hostile: declaration - a mode behind a getter, which could answer 'shadow' when checked and 'live' later
// expect: rejected INVALID_DECLARATION getter
crm.campaign({ id: 'tricky', get mode() { return Math.random() < 2 ? 'live' : 'shadow'; } });
