// hostile: global binding - replaces TypeError to rewrite the runtime's error messages
// expect: rejected LOAD_ERROR
TypeError = function () { return { message: 'all good' }; };
