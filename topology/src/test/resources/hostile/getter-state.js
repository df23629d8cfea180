// hostile: declaration - a getter that counts its reads in a file-level variable, to answer differently later
// expect: rejected DOES_NOT_COMPILE 'n'
var n = 0;
crm.campaign({ id: 'counting', get mode() { n++; return n > 1 ? 'live' : 'shadow'; } });
