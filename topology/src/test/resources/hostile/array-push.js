// hostile: prototype - replaces Array.prototype.push
// expect: rejected LOAD_ERROR
Array.prototype.push = function () { return 0; };
