/*
 * The handler runtime inside one file's script global. Every handler file gets a global of its own
 * (its own built-ins, prototypes and regex state), with this script evaluated in it before the file;
 * nothing one file does can reach another file's global. The script captures the built-ins it uses,
 * then hardens the global (deterministic clock and randomness, bounded natives, frozen built-ins,
 * read-only global bindings) and returns the object the Java runtime calls. Designers never see it.
 *
 * Trust: the file's code is hostile. It reaches this script only through the frozen `crm` API and
 * the objects handed to its handlers (a frozen event, the profile and ctx views), and through the
 * instrumentation's hooks (guard, write check, freezer, catch check), all of which check their
 * arguments. Values a handler hands over (profile values, offer params, declarations) are copied as
 * plain JSON data without calling any of its code (no getters, no toJSON), within size limits.
 */
(function (g) {
    'use strict';
    /* ---------- the built-ins this runtime uses, captured before the file can touch anything ---------- */
    var parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, isFrozen = Object.isFrozen;
    var keys = Object.keys, ownNames = Object.getOwnPropertyNames, descriptor = Object.getOwnPropertyDescriptor;
    var protoOf = Object.getPrototypeOf, defineProperty = Object.defineProperty, create = Object.create;
    var preventExtensions = Object.preventExtensions, isArray = Array.isArray;
    var hasOwn = Object.prototype.hasOwnProperty, classOf = Object.prototype.toString;
    var OBJECT_PROTO = Object.prototype, ARRAY_PROTO = Array.prototype, FUNCTION_PROTO = Function.prototype;
    var RealDate = Date, RealRegExp = RegExp, now = Date.now, floor = Math.floor, StringOf = String;
    var TypeErr = TypeError, RangeErr = RangeError, ErrorCtor = Error;
    var originalApply = Function.prototype.apply, originalCall = Function.prototype.call;
    var RealFunction = Function; // only to compile the event makers below, from shapes the Java runtime checked

    var NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
    var CAMPAIGN_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
    var EVENT_TYPE = /^([a-z][a-z0-9_]{0,31}|\*)$/;
    var KEY = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
    var WRITE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*\*?$/;
    var MODES = { live: true, shadow: true, paused: true };

    /* Limits, set by the Java runtime (configure) before the file loads; see HandlerLimits. */
    var L = {
        profileBytes: 65536, profileKeys: 256, keyLength: 64, valueDepth: 8, paramsBytes: 4096,
        stringLength: 1000000, arrayLength: 1000000, applyArgs: 65536, requestsPerCall: 16,
        logLines: 10, logChars: 500, handlers: 64, campaigns: 32, eventTypes: 32, writes: 64
    };
    var meter = null;      // Java (CallMeter): meter(0) periodic, meter(1) past the deadline, meter(2) Java error seen

    /* where: a text, or a function that makes it (messages are built only when something fails) */
    function fail(where, message) {
        throw new TypeErr((typeof where === 'function' ? where() : where) + ': ' + message);
    }
    function quote(value) {
        // describes a value in a message without calling any of its code
        var t = typeof value;
        if (value === null || t === 'number' || t === 'boolean' || t === 'undefined') {
            return StringOf(value);
        }
        if (t === 'string') {
            return stringify(value.length > 40 ? value.substring(0, 40) + '...' : value);
        }
        return t === 'function' ? 'a function' : isArray(value) ? 'an array' : 'an object';
    }
    /*
     * obj[key] = value, also for keys the frozen Object.prototype holds read-only ('toString' ...),
     * which a plain assignment refuses; those few take the slow way.
     */
    function put(obj, key, value) {
        if (key in OBJECT_PROTO) {
            defineProperty(obj, key, { value: value, writable: true, enumerable: true, configurable: true });
        } else {
            obj[key] = value;
        }
    }
    function isJavaThrowable(x) {
        return x !== null && typeof x === 'object' && classOf.call(x).indexOf('[object java.') === 0;
    }

    /* ---------- the guard: time, memory and stop, for every loop and function of the file ---------- */

    /*
     * The instrumentation puts `var __crm_pN = __crm_g();` at the start of every function and
     * `__crm_g();` at the start of every loop body. Once the call's budget is spent the guard throws,
     * and keeps throwing until the runtime disarms it: catching the error does not keep a runaway
     * handler alive, because its next loop iteration or call throws again. The wall clock is the cheap
     * first check, every 8 guard calls, with a Java check every 256 (CPU every 4096); the Java meter measures the
     * thread's CPU time (a busy machine or a GC pause does not stop a correct handler), the bytes it
     * allocated since the call started, and whether the watchdog has stopped the call.
     */
    var tripped = 0, deadline = Infinity, ticks = 0, armed = false;
    var phase = 0, calls = 0;
    var OVER = [null,
        freeze(new RangeErr('time budget exceeded')),
        freeze(new RangeErr('memory budget exceeded')),
        freeze(new RangeErr('stopped by the watchdog'))];
    function guard() {
        if (tripped !== 0) {
            throw OVER[tripped];
        }
        if (armed) {
            if ((++ticks & 7) !== 0) {
                return phase; // the clocks are read every 8th guard call: a built-in that runs long is the watchdog's
            }
            var status = 0;
            if (ticks >= 256) {
                // memory and stop every 256 guard calls (CPU, a costly read, every 4096), and CPU when
                // the wall clock says the budget may be spent
                ticks = 0;
                status = meter(0);
                if (status < 0) {
                    status = 0;
                }
            }
            if (status === 0 && now() > deadline) {
                status = meter(1);
                if (status <= 0) {
                    deadline = now() - status;
                    status = 0;
                }
            }
            if (status > 0) {
                tripped = status;
                throw OVER[status];
            }
        }
        return phase;
    }
    function arm(budgetMs, newPhase) {
        tripped = 0;
        ticks = 0;
        armed = true;
        phase = newPhase;
        deadline = now() + budgetMs;
    }
    /*
     * Stops counting; the status of the call: 0, or what tripped (1 time, 2 memory, 3 stop). The
     * runtime checks the call's memory once more when it is back in Java (undoLast() if needed).
     */
    function disarm() {
        var t = tripped;
        tripped = 0;
        armed = false;
        deadline = Infinity;
        phase = -1;
        return t;
    }
    /* The write check: a variable of a scope made in another phase (an earlier call, or the load) is read-only. */
    function writeCheck(scopePhase) {
        if (scopePhase !== phase) {
            fail('handler', 'a handler may not change a variable that outlives its call (state kept between'
                + ' events makes a replay decide differently; keep it in the profile)');
        }
    }
    /* The catch check: a Java error (a stop, a stack overflow) passes through script catch blocks. */
    function catchCheck(x) {
        if (isJavaThrowable(x)) {
            meter(2, x); // rethrows it from Java, unwrapped
            throw x;
        }
    }

    /* ---------- plain JSON data, copied without running any of the handler's code ---------- */
    /*
     * A copy of plain data (through its JSON text, see jsonText), within maxBytes. Strings, numbers,
     * booleans and null are their own copy: they get jsonText's checks without being written out.
     */
    function copyData(value, where, maxBytes) {
        var t = typeof value;
        if (value === null || t === 'boolean') {
            return value;
        }
        if (t === 'string') {
            if (value.length > maxBytes || value.length > L.stringLength) {
                fail(where, 'a string of ' + value.length + ' characters is over the limit of '
                    + Math.min(maxBytes, L.stringLength));
            }
            return value;
        }
        if (t === 'number') {
            if (value - value !== 0) {
                fail(where, 'numbers must be finite (got ' + value + ')');
            }
            return value;
        }
        return parse(jsonText(value, 0, where, maxBytes));
    }

    /*
     * The JSON text of plain data, written without running any of the handler's code: no getters,
     * no toJSON, only plain arrays and objects, finite numbers, within the depth, length and size
     * limits. Offer params go out as this text; profile values are copied through it.
     */
    function jsonText(v, depth, where, maxBytes) {
        if (armed) {
            guard();
        }
        if (v === null) {
            return 'null';
        }
        var t = typeof v, out, i, d, n;
        if (t === 'string') {
            if (v.length > maxBytes || v.length > L.stringLength) {
                fail(where, 'a string of ' + v.length + ' characters is over the limit of '
                    + Math.min(maxBytes, L.stringLength));
            }
            return stringify(v);
        }
        if (t === 'number') {
            if (v - v !== 0) {
                fail(where, 'numbers must be finite (got ' + v + ')');
            }
            return StringOf(v);
        }
        if (t === 'boolean') {
            return v ? 'true' : 'false';
        }
        if (t !== 'object') {
            fail(where, t === 'undefined' ? 'undefined is not a JSON value' : 'a ' + t + ' is not a JSON value');
        }
        if (depth >= L.valueDepth) {
            fail(where, 'value is nested deeper than ' + L.valueDepth + ' levels');
        }
        if (isArray(v)) {
            if (protoOf(v) !== ARRAY_PROTO) {
                fail(where, 'only plain arrays and objects are JSON values');
            }
            n = v.length;
            if (n > L.arrayLength || n > maxBytes) {
                fail(where, 'an array of ' + n + ' elements is too long');
            }
            out = '[';
            for (i = 0; i < n; i++) {
                d = descriptor(v, i);
                if (d !== undefined && !('value' in d)) {
                    fail(where, 'element ' + i + ' is a getter; only plain values are JSON values');
                }
                out += (i > 0 ? ',' : '') + (d === undefined || d.value === undefined ? 'null'
                    : jsonText(d.value, depth + 1, where, maxBytes));
                if (out.length > maxBytes) {
                    fail(where, 'value is larger than ' + maxBytes + ' bytes');
                }
            }
            return out + ']';
        }
        var proto = protoOf(v);
        if (proto !== OBJECT_PROTO && proto !== null) {
            fail(where, 'only plain arrays and objects are JSON values (got ' + classOf.call(v) + ')');
        }
        var ks = keys(v), first = true;
        if (ks.length > L.profileKeys) {
            fail(where, 'an object with ' + ks.length + ' keys has more than the limit of ' + L.profileKeys);
        }
        out = '{';
        for (i = 0; i < ks.length; i++) {
            var k = ks[i];
            if (k.length > L.keyLength || k === '__proto__') {
                fail(where, 'key ' + quote(k) + ' is not allowed (at most ' + L.keyLength + ' characters, not __proto__)');
            }
            d = descriptor(v, k);
            if (!('value' in d)) {
                fail(where, quote(k) + ' is a getter; only plain values are JSON values');
            }
            if (d.value !== undefined) {
                out += (first ? '' : ',') + stringify(k) + ':' + jsonText(d.value, depth + 1, where, maxBytes);
                first = false;
                if (out.length > maxBytes) {
                    fail(where, 'value is larger than ' + maxBytes + ' bytes');
                }
            }
        }
        return out + '}';
    }

    /* A declaration's own data properties, read once each (no getters, no unknown keys). */
    function snapshot(def, allowed, where, expects) {
        if (def === null || typeof def !== 'object' || isArray(def)) {
            fail(where, 'expects an object ' + expects);
        }
        var ks = keys(def), out = create(null);
        for (var i = 0; i < ks.length; i++) {
            var k = ks[i];
            if (!hasOwn.call(allowed, k)) {
                fail(where, 'unknown property ' + quote(k) + ' (allowed: ' + keys(allowed).join(', ') + ')');
            }
            var d = descriptor(def, k);
            if (!hasOwn.call(d, 'value')) {
                fail(where, quote(k) + ' must be a plain value, not a getter');
            }
            out[k] = d.value;
        }
        return out;
    }
    function stringList(value, where, what, max, pattern) {
        if (!isArray(value) || protoOf(value) !== ARRAY_PROTO) {
            fail(where, what + ' must be an array of strings');
        }
        var n = value.length;
        if (n === 0 || n > max) {
            fail(where, what + ' must hold 1 to ' + max + ' entries');
        }
        var out = [], seen = create(null);
        for (var i = 0; i < n; i++) {
            var d = descriptor(value, i);
            var s = d && hasOwn.call(d, 'value') ? d.value : undefined;
            if (typeof s !== 'string' || s.length > L.keyLength + 1 || !pattern.test(s)) {
                fail(where, what + ' holds an invalid entry: ' + quote(s));
            }
            if (seen[s] !== true) {
                seen[s] = true;
                out.push(s);
            }
        }
        return out;
    }

    /* ---------- registration: what a file may call while it loads ---------- */
    var fileName = '?', loading = false, loaded = false;
    var handlers = [], campaigns = [], ownCampaigns = create(null), freezers = [];
    var HANDLER_KEYS = { name: 1, on: 1, writes: 1, update: 1, campaign: 1, description: 1 };
    var CAMPAIGN_KEYS = { id: 1, mode: 1, caps: 1, holdout: 1, conversion: 1, description: 1 };

    function description(value, where) {
        if (value !== undefined && (typeof value !== 'string' || value.length > 500)) {
            fail(where, "'description' must be a string of at most 500 characters");
        }
        return value === undefined ? null : value;
    }
    /* A declaration that fails marks the load as refused for its declarations (not a crash). */
    var declarationFailed = false;
    function declaring(register) {
        return function (def) {
            try {
                register(def);
            } catch (e) {
                catchCheck(e);
                if (e !== OVER[1] && e !== OVER[2] && e !== OVER[3]) {
                    declarationFailed = true;
                }
                throw e;
            }
        };
    }
    var api = freeze({
        handler: declaring(function (def) {
            var where = fileName + ': crm.handler';
            if (!loading) {
                fail(where, 'can only be called while the file loads (at its top level)');
            }
            var d = snapshot(def, HANDLER_KEYS, where, '{name, on, writes, update, campaign}');
            if (typeof d.name !== 'string' || !NAME.test(d.name)) {
                fail(where, "'name' must be a string of letters, digits, '_', '.', '-' (got " + quote(d.name) + ')');
            }
            where = fileName + ": handler '" + d.name + "'";
            if (handlers.length >= L.handlers) {
                fail(where, 'a file may declare at most ' + L.handlers + ' handlers');
            }
            var on = stringList(d.on, where, "'on' (event types, e.g. on: ['fight'])", L.eventTypes, EVENT_TYPE);
            if (d.update !== undefined && typeof d.update !== 'function') {
                fail(where, "'update' must be a function(event, profile)");
            }
            if (d.campaign !== undefined && typeof d.campaign !== 'function') {
                fail(where, "'campaign' must be a function(event, profile, ctx)");
            }
            if (d.update === undefined && d.campaign === undefined) {
                fail(where, "declares neither 'update' nor 'campaign'");
            }
            var writes = null;
            if (d.update !== undefined) {
                if (d.writes === undefined) {
                    fail(where, "an update handler must declare the profile keys it writes, e.g. writes: ['lost_streak']"
                        + " (a key ending in '*' covers every key with that prefix)");
                }
                writes = stringList(d.writes, where, "'writes' (profile keys)", L.writes, WRITE_PATTERN);
            } else if (d.writes !== undefined) {
                fail(where, "'writes' needs an 'update' function (campaign handlers only read the profile)");
            }
            handlers.push({ name: d.name, on: on, writes: writes, update: d.update, campaign: d.campaign,
                description: description(d.description, where) });
        }),
        campaign: declaring(function (def) {
            var where = fileName + ': crm.campaign';
            if (!loading) {
                fail(where, 'can only be called while the file loads (at its top level)');
            }
            var d = snapshot(def, CAMPAIGN_KEYS, where, '{id, mode, caps, holdout, conversion}');
            if (typeof d.id !== 'string' || !CAMPAIGN_ID.test(d.id)) {
                fail(where, "'id' must be lower-case letters, digits, '_' or '-' (got " + quote(d.id) + ')');
            }
            where = fileName + ": campaign '" + d.id + "'";
            if (campaigns.length >= L.campaigns) {
                fail(where, 'a file may declare at most ' + L.campaigns + ' campaigns');
            }
            if (ownCampaigns[d.id] === true) {
                fail(where, 'is declared twice in this file');
            }
            var mode = d.mode === undefined ? 'live' : d.mode;
            if (typeof mode !== 'string' || !hasOwn.call(MODES, mode)) {
                fail(where, "'mode' must be 'live', 'shadow' or 'paused' (got " + quote(d.mode) + ')');
            }
            var caps = d.caps === undefined ? {} : d.caps;
            if (caps === null || typeof caps !== 'object' || isArray(caps)) {
                fail(where, "'caps' must be an object");
            }
            caps = copyData(caps, where + ' caps', 4096);
            var holdout = d.holdout === undefined ? 0 : d.holdout;
            if (typeof holdout !== 'number' || !(holdout >= 0 && holdout <= 0.5)) {
                fail(where, "'holdout' must be a share of players between 0 and 0.5, e.g. 0.1 (got " + quote(d.holdout) + ')');
            }
            // conversion: {on, within, value}, plain data; its values are checked in Java (ConversionRule)
            var conversion = d.conversion === undefined ? null : d.conversion;
            if (conversion !== null && (typeof conversion !== 'object' || isArray(conversion))) {
                fail(where, "'conversion' must be an object like {on: 'purchase', within: '24h', value: 'price'}");
            }
            conversion = conversion === null ? null : copyData(conversion, where + ' conversion', 1024);
            ownCampaigns[d.id] = true;
            campaigns.push({ id: d.id, mode: mode, caps: caps, holdout: holdout, conversion: conversion,
                description: description(d.description, where) });
        }),
        log: function () {
            // up to L.logLines lines of up to L.logChars characters per call; more are counted, not kept
            if (!armed || loading) {
                return;
            }
            if (logs === null) {
                logs = [];
            }
            if (logs.length >= L.logLines) {
                logsDropped++;
                return;
            }
            var parts = [];
            for (var i = 0; i < arguments.length && i < 8; i++) {
                var a = arguments[i];
                parts.push(typeof a === 'string' ? a : typeof a === 'object' && a !== null ? safeJson(a) : StringOf(a));
            }
            var line = parts.join(' ');
            logs.push(line.length > L.logChars ? line.substring(0, L.logChars) + '...' : line);
        }
    });
    function safeJson(value) {
        try {
            return jsonText(value, 0, 'crm.log', L.logChars * 4);
        } catch (e) {
            catchCheck(e);
            return '(' + quote(value) + ')';
        }
    }

    /* Deep-freezes what the file made while loading: its scopes' values, its handlers, their functions. */
    function deepFreeze(value, budget) {
        var stack = [value], seen = 0;
        while (stack.length > 0) {
            var v = stack.pop();
            if (v === null || (typeof v !== 'object' && typeof v !== 'function') || isFrozen(v)) {
                continue;
            }
            if (isJavaThrowable(v)) {
                continue;
            }
            if (++seen > budget) {
                fail(fileName, 'holds more than ' + budget + ' objects after loading');
            }
            freeze(v);
            var names = ownNames(v);
            for (var i = 0; i < names.length; i++) {
                var d = descriptor(v, names[i]);
                if (hasOwn.call(d, 'value')) {
                    stack.push(d.value);
                } else {
                    stack.push(d.get, d.set);
                }
            }
            stack.push(protoOf(v));
        }
    }
    function freezer(fn) {
        if (loading && phase === 0 && typeof fn === 'function') {
            freezers.push(fn);
        }
    }

    /*
     * Loads the file: calls its (instrumented) function with the API and the hooks, within the load
     * budget, then freezes what it made. Returns the registrations as JSON.
     */
    function load(fileFunction, name, budgetMs) {
        fileName = name;
        loading = true;
        arm(budgetMs, 0);
        fileFunction(api, guard, writeCheck, freezer, catchCheck);
        for (var i = 0; i < freezers.length; i++) {
            deepFreeze(freezers[i](), 1000000);
        }
        for (i = 0; i < handlers.length; i++) {
            deepFreeze(handlers[i].update, 1000000);
            deepFreeze(handlers[i].campaign, 1000000);
        }
        freezers = [];
        loading = false;
        var status = disarm();
        if (status !== 0) {
            throw OVER[status];
        }
        loaded = true;
        var hs = [];
        for (i = 0; i < handlers.length; i++) {
            var h = handlers[i];
            hs.push({ name: h.name, on: h.on, writes: h.writes, update: h.update !== undefined,
                campaign: h.campaign !== undefined, description: h.description });
            writesOf.push(writeTable(h.writes));
        }
        return stringify({ handlers: hs, campaigns: campaigns });
    }
    /* After a load that threw: what tripped (0: it threw by itself), plus 8 when a declaration was refused. */
    function abortLoad() {
        loading = false;
        return disarm() + (declarationFailed ? 8 : 0);
    }

    /* ---------- per event: the event, the profile, the campaign context ---------- */
    var ev = null;                      // the current event, deep-frozen
    // the profile is parsed when a handler first reads or writes it (many calls never do)
    var data = null, profileText = null;
    var changes = null;                 // key -> new value (null: removed), made on the first write
    // keyCount: the profile's keys, counted only when keyBound (at most that many) nears the limit
    var changed = false, size = 0, keyCount = -1, keyBound = 0;
    /* A JSON object text of n characters has at most (n - 1) / 6 members ({"a":0,"b":0} ...). */
    function keysAtMost(jsonLength) {
        return jsonLength > 1 ? floor((jsonLength - 1) / 6) : 0;
    }
    var pending = null;                 // the undo log while an update handler runs, else null
    var writesOf = [];                  // per handler: {exact: {key: true}, prefixes: [...]} or null
    var allowedWrites = null;
    var requests = [], requested = null, inCampaign = false, eventTime = 0;
    var logs = null, logsDropped = 0;
    var rng0 = 0, rng1 = 0, rng2 = 0, rng3 = 0;
    var begun = -1, lastPending = null;

    function writeTable(patterns) {
        if (patterns === null) {
            return null;
        }
        var exact = create(null), prefixes = [];
        for (var i = 0; i < patterns.length; i++) {
            var p = patterns[i];
            if (p.charAt(p.length - 1) === '*') {
                prefixes.push(p.substring(0, p.length - 1));
            } else {
                exact[p] = true;
            }
        }
        return { exact: exact, prefixes: prefixes, text: patterns.join(', ') };
    }
    /* Freezes a parsed JSON object and the objects in it (values of JSON text are never cyclic). */
    function freezeEvent(value) {
        var ks = keys(value);
        for (var i = 0; i < ks.length; i++) {
            var v = value[ks[i]];
            if (v !== null && typeof v === 'object') {
                freezeEvent(v);
            }
        }
        return freeze(value);
    }
    /*
     * The event, deep-frozen, from its handover (EventHandover): its shape's number and its values (a
     * Java array), built by that shape's maker as a literal (far cheaper than parsing the object and
     * freezing it); or its JSON text, parsed and frozen.
     */
    var makers = [];
    var MEMBER = /^\*?[A-Za-z_$][A-Za-z0-9_$]*$/;
    function defineShape(id, shapeJson) {
        makers[id] = maker(parse(shapeJson));
    }
    function frozenJson(text) {
        var e = parse(text);
        return e !== null && typeof e === 'object' ? freezeEvent(e) : e;
    }
    function eventOf(handover) {
        if (typeof handover === 'string') {
            return frozenJson(handover);
        }
        var make = makers[handover[0]];
        if (make === undefined) {
            throw new TypeErr('no event shape ' + handover[0]);
        }
        return make(handover, freeze, frozenJson);
    }
    function maker(shape) {
        var n = 1; // v[0] is the shape's number
        function literal(members, from) {
            var out = [];
            for (var i = from; i < members.length; i++) {
                var m = members[i];
                if (isArray(m)) {
                    if (typeof m[0] !== 'string' || m[0].charAt(0) === '*' || !MEMBER.test(m[0]) || m[0] === '__proto__') {
                        throw new TypeErr('bad event shape');
                    }
                    out.push(stringify(m[0]) + ':' + literal(m, 1));
                } else if (typeof m === 'string' && MEMBER.test(m)) {
                    var deep = m.charAt(0) === '*', key = deep ? m.substring(1) : m;
                    if (key === '__proto__') {
                        throw new TypeErr('bad event shape');
                    }
                    out.push(stringify(key) + ':' + (deep ? 'd(v[' + n + '])' : 'v[' + n + ']'));
                    n++;
                } else {
                    throw new TypeErr('bad event shape');
                }
            }
            return 'f({' + out.join(',') + '})';
        }
        var body = literal(shape, 0);
        return new RealFunction('v', 'f', 'd', "'use strict'; if (v.length !== " + n + ") { throw new TypeError('"
            + "event values do not match their shape'); } return " + body + ';');
    }
    function startEvent(eventJson, profileJson) {
        ev = eventOf(eventJson);
        data = null;
        profileText = profileJson;
        size = profileJson ? profileJson.length : 2;
        keyCount = -1;
        keyBound = keysAtMost(size);
        changes = null;
        changed = false;
        pending = null;
        requests = [];
        requested = null;
        inCampaign = false;
    }
    /* The profile as it stands, parsed on first use. */
    function profileData() {
        if (data === null) {
            data = profileText ? parse(profileText) : {};
            profileText = null;
        }
        return data;
    }
    function changeLog() {
        if (changes === null) {
            changes = create(null);
        }
        return changes;
    }

    /*
     * The profile a handler sees. Reads: get(key, fallback), has(key), keys(). Writes (update
     * handlers, keys they declared): set(key, value), incr(key, by), remove(key). Values are JSON;
     * get() returns a copy, so a change only counts through set(). Each handler's writes are a unit:
     * if the handler throws or runs out of budget, they are undone.
     */
    function remember(key, was) {
        var change = changes === null ? undefined : changes[key];
        pending.push(key, was !== undefined, was, change !== undefined, change);
    }
    function writing(where, key) {
        if (pending === null) {
            // a profile kept from an earlier call: writes count only while an update handler runs
            fail(where, 'the profile can only be changed while an update handler runs');
        }
        if (typeof key === 'string' && allowedWrites.exact[key] === true && key.length <= L.keyLength
                && key !== '__proto__') {
            return; // a declared key (declarations are checked against the same pattern at load)
        }
        if (typeof key !== 'string' || key.length === 0 || key.length > L.keyLength || !KEY.test(key)
                || key === '__proto__') {
            fail(where, 'key must be a string of 1 to ' + L.keyLength + " letters, digits, '_', '.', ':' or '-'"
                + ' (got ' + quote(key) + ')');
        }
        if (allowedWrites.exact[key] !== true) {
            var ok = false;
            for (var i = 0; i < allowedWrites.prefixes.length; i++) {
                if (key.indexOf(allowedWrites.prefixes[i]) === 0) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                fail(where, quote(key) + ' is not among the keys this handler declares in writes: ['
                    + allowedWrites.text + ']');
            }
        }
    }
    /* About the JSON size of one entry (the runtime checks the exact size when the file is done). */
    function entrySize(key, value) {
        var t = typeof value;
        var v = value === null ? 4 : t === 'number' ? 24 : t === 'boolean' ? 5 : t === 'string' ? value.length + 2
            : stringify(value).length;
        return key.length + 4 + v;
    }
    function resize(op, key, value, old) {
        var had = old !== undefined;
        var next = size + (value === undefined ? 0 : entrySize(key, value)) - (had ? entrySize(key, old) : 0);
        if (value !== undefined && next > L.profileBytes) {
            fail(op + ' ' + quote(key), 'the profile would grow to about ' + next + ' bytes, over the limit of ' + L.profileBytes);
        }
        if (!had && value !== undefined) {
            if (keyCount < 0 && keyBound + 1 > L.profileKeys) {
                keyCount = keys(profileData()).length;
            }
            if ((keyCount < 0 ? keyBound : keyCount) + 1 > L.profileKeys) {
                fail(op + ' ' + quote(key), 'the profile would have more than ' + L.profileKeys + ' keys');
            }
            if (keyCount >= 0) {
                keyCount++;
            }
            keyBound++;
        } else if (had && value === undefined && keyCount >= 0) {
            keyCount--;
        }
        size = next;
    }
    function readOnly(where) {
        return function () {
            fail('profile.' + where, 'the profile is read-only in a campaign handler; change it in an update handler');
        };
    }
    /* The profile's own value of key, or undefined: a JSON value is never undefined or a function. */
    function own(key) {
        if (typeof key !== 'string' || key === '__proto__') {
            return undefined;
        }
        var v = profileData()[key];
        return typeof v === 'function' ? undefined : v;
    }
    function get(key, fallback) {
        var v = own(key);
        if (v === undefined) {
            return fallback;
        }
        return (v !== null && typeof v === 'object') ? parse(stringify(v)) : v;
    }
    function has(key) {
        return own(key) !== undefined;
    }
    function profileKeys() {
        return keys(profileData());
    }
    var writable = freeze({
        get: get, has: has, keys: profileKeys,
        set: function (key, value) {
            writing('profile.set', key);
            if (value === undefined) {
                fail('profile.set', 'value for ' + quote(key) + ' is undefined; use profile.remove(key)');
            }
            var copy = copyData(value, function () { return 'profile.set ' + quote(key); }, L.profileBytes);
            var old = own(key);
            resize('profile.set', key, copy, old);
            remember(key, old);
            put(data, key, copy);
            changeLog()[key] = copy;
            return value;
        },
        incr: function (key, by) {
            writing('profile.incr', key);
            var step = by === undefined ? 1 : by;
            if (typeof step !== 'number' || step - step !== 0) {
                fail('profile.incr', 'step for ' + quote(key) + ' must be a finite number');
            }
            var old = own(key), current = old === undefined ? 0 : old;
            if (typeof current !== 'number') {
                fail('profile.incr', quote(key) + ' holds a ' + (current === null ? 'null' : typeof current)
                    + ', not a number');
            }
            var next = current + step;
            if (next - next !== 0) {
                fail('profile.incr', quote(key) + ' would no longer be a finite number');
            }
            if (old === undefined) {
                resize('profile.incr', key, next, undefined);
            } // else a number replaces a number: the entry's size estimate stays the same
            remember(key, old);
            put(data, key, next);
            changeLog()[key] = next;
            return next;
        },
        remove: function (key) {
            writing('profile.remove', key);
            var old = own(key);
            if (old !== undefined) {
                resize('profile.remove', key, undefined, old);
                remember(key, old);
                delete data[key];
                changeLog()[key] = null;
            }
        }
    });
    var readonly = freeze({
        get: get, has: has, keys: profileKeys,
        set: readOnly('set'), incr: readOnly('incr'), remove: readOnly('remove')
    });
    function rollback() {
        if (pending !== null && pending.length > 0) {
            for (var i = pending.length - 5; i >= 0; i -= 5) {
                var k = pending[i];
                if (pending[i + 1]) {
                    put(data, k, pending[i + 2]);
                } else {
                    delete data[k];
                }
                if (pending[i + 3]) {
                    changeLog()[k] = pending[i + 4];
                } else if (changes !== null) {
                    delete changes[k];
                }
            }
            // sizes are recomputed from the data when the event ends; the count is stale
            keyCount = -1;
            size = stringify(data).length;
            keyBound = keysAtMost(size);
        }
        pending = null;
    }

    /*
     * The third argument of campaign(event, profile, ctx). ctx.trigger(campaignId, params) asks for
     * an offer of a campaign this file declares; whether it fires is decided afterwards by the runtime
     * (caps, budget, mode). A campaign is asked for at most once per event: a second request is
     * recorded, and suppressed as ONCE_PER_EVENT.
     */
    var ctx = freeze({
        get eventTime() {
            return eventTime;
        },
        trigger: function (campaignId, params) {
            if (!inCampaign) {
                fail('ctx.trigger', 'can only be called while a campaign handler runs');
            }
            if (typeof campaignId !== 'string' || ownCampaigns[campaignId] !== true) {
                fail('ctx.trigger', 'unknown campaign ' + quote(campaignId) + '; a handler can ask only for the campaigns'
                    + ' its own file declares with crm.campaign({id: ...}) (this file declares: '
                    + keys(ownCampaigns).join(', ') + ')');
            }
            if (requests.length >= L.requestsPerCall) {
                fail('ctx.trigger', 'asked for more than ' + L.requestsPerCall + ' offers in one call');
            }
            var p = params === undefined ? {} : params;
            if (p === null || typeof p !== 'object' || isArray(p)) {
                fail('ctx.trigger', 'params must be an object, e.g. {units: 4}');
            }
            var text = jsonText(p, 0, 'ctx.trigger params', L.paramsBytes);
            if (text.length > L.paramsBytes) {
                fail('ctx.trigger', 'params take ' + text.length + ' bytes, over the limit of ' + L.paramsBytes);
            }
            if (requested === null) {
                requested = create(null);
            }
            var duplicate = requested[campaignId] === true;
            requested[campaignId] = true;
            requests.push({ campaign: campaignId, params: text, duplicate: duplicate });
            return !duplicate;
        }
    });

    /* Deterministic clock and randomness of the current call (see harden: Date and Math.random). */
    var seedPending = false, nextSeed = 0;
    /* Seeds the generator of the call with x when the call first asks for a number (most never do). */
    function seed(x) {
        nextSeed = x;
        seedPending = true;
    }
    function reseed(x) {
        // x: 52 well-mixed bits (splitmix64 of the event id and the handler name), as a whole number
        seedPending = false;
        rng0 = x | 0;
        rng1 = (x / 4294967296) | 0;
        rng2 = rng0 ^ 0x5bd1e995;
        rng3 = rng1 ^ 0x1b873593;
        random();
        random();
        random();
        random();
    }
    function random() {
        if (seedPending) {
            reseed(nextSeed);
        }
        // sfc32: small, fast, 128 bits of state, good enough for offers
        var t = (rng0 + rng1 | 0) + rng3 | 0;
        rng3 = rng3 + 1 | 0;
        rng0 = rng1 ^ rng1 >>> 9;
        rng1 = rng2 + (rng2 << 3) | 0;
        rng2 = rng2 << 21 | rng2 >>> 11;
        rng2 = rng2 + t | 0;
        return (t >>> 0) / 4294967296;
    }

    /*
     * Gives the file an event, and the profile as it stands; token names the two (the runtime calls
     * this again when another file changed the profile). Entry points take at most four arguments:
     * Nashorn calls those from Java on its fast path.
     */
    function begin(token, eventJson, profileJson, timeMs) {
        if (token !== begun) {
            begun = -1;
            startEvent(eventJson, profileJson);
            eventTime = timeMs;
            begun = token;
        }
    }
    function beginCall(budgetMs, seedBits) {
        seed(seedBits);
        logs = null;
        logsDropped = 0;
        arm(budgetMs, ++calls);
    }
    /*
     * Runs update handler i of the event given by begin() within the budget. Returns the call's
     * status (0 ok, 1 time, 2 memory, 3 stopped; its writes are then undone) plus 16 when it logged.
     * When it throws, the exception reaches the runtime, which calls abort().
     */
    function runUpdate(i, budgetMs, seedBits) {
        lastPending = null;
        beginCall(budgetMs, seedBits);
        allowedWrites = writesOf[i];
        pending = [];
        handlers[i].update(ev, writable);
        var status = disarm();
        if (status !== 0) {
            rollback();
        } else if (pending.length > 0) {
            changed = true;
            lastPending = pending;
        }
        pending = null;
        return status + (logs !== null ? 16 : 0);
    }
    /* Undoes the writes of the last update call (its memory, checked in Java, was over the limit). */
    function undoLast() {
        pending = lastPending;
        rollback();
        lastPending = null;
    }
    /*
     * Runs campaign handler i within the budget: its status plus 16 when it logged; when it asked for
     * offers, a string: that number, a line break, and the requests as JSON.
     */
    function runCampaign(i, budgetMs, seedBits) {
        beginCall(budgetMs, seedBits);
        requests = [];
        inCampaign = true;
        handlers[i].campaign(ev, readonly, ctx);
        inCampaign = false;
        var status = disarm();
        var code = status + (logs !== null ? 16 : 0);
        if (status !== 0 || requests.length === 0) {
            requests = [];
            return code;
        }
        return code + '\n' + stringify(requests);
    }
    /* After a handler threw: what had tripped (0: it threw by itself); its writes and requests are dropped. */
    function abort() {
        var status = disarm();
        rollback();
        inCampaign = false;
        requests = [];
        return status;
    }
    function logsJson() {
        return stringify({ lines: logs === null ? [] : logs, dropped: logsDropped });
    }
    /*
     * When the event's update handlers changed the profile: the whole profile as JSON, a line break
     * (JSON text never holds one), and the changes as JSON; else null.
     */
    function hasMembers(o) {
        for (var k in o) { // o has no prototype: its own keys only
            return true;
        }
        return false;
    }
    function finish() {
        if (!changed || changes === null || !hasMembers(changes)) {
            return null;
        }
        changed = false;
        return stringify(data) + '\n' + stringify(changes);
    }
    function configure(limitsJson, javaMeter) {
        var given = parse(limitsJson), ks = keys(given);
        for (var i = 0; i < ks.length; i++) {
            if (hasOwn.call(L, ks[i])) {
                L[ks[i]] = given[ks[i]];
            }
        }
        freeze(L);
        meter = javaMeter;
    }

    /* ---------- the global, hardened: what the file finds when it loads ---------- */
    (function harden() {
        // Nashorn extensions that print, reach the engine or allocate outside the heap checks
        var drop = function (holder, names) {
            for (var i = 0; i < names.length; i++) {
                var d = descriptor(holder, names[i]);
                if (d && d.configurable) {
                    delete holder[names[i]];
                }
            }
        };
        drop(ErrorCtor.prototype, ['printStackTrace', 'getStackTrace']);
        drop(ErrorCtor, ['dumpStack', 'captureStackTrace']);
        drop(Object, ['bindProperties', 'setIndexedPropertiesToExternalArrayData']);
        drop(g, ['ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
            'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array']);

        // time is the event's time; randomness is seeded by (event, handler): a replay decides the same
        function D(a, b, c, d, e, f, h) {
            var n = arguments.length;
            if (!(this instanceof D)) {
                return new RealDate(eventTime).toString();
            }
            switch (n) {
                case 0: return new RealDate(eventTime);
                case 1: return new RealDate(a);
                case 2: return new RealDate(a, b);
                case 3: return new RealDate(a, b, c);
                case 4: return new RealDate(a, b, c, d);
                case 5: return new RealDate(a, b, c, d, e);
                case 6: return new RealDate(a, b, c, d, e, f);
                default: return new RealDate(a, b, c, d, e, f, h);
            }
        }
        D.prototype = RealDate.prototype;
        D.now = function () {
            return eventTime;
        };
        D.UTC = RealDate.UTC;
        D.parse = RealDate.parse;
        RealDate.prototype.constructor = D;
        // a Date made while the file loaded is frozen with everything else; its setters would still change it
        ownNames(RealDate.prototype).forEach(function (name) {
            var setter = RealDate.prototype[name];
            if (name.indexOf('set') === 0 && typeof setter === 'function') {
                RealDate.prototype[name] = function () {
                    if (isFrozen(this)) {
                        throw new TypeErr('Date.' + name + ': this date was made while the file loaded and is read-only');
                    }
                    return originalApply.call(setter, this, arguments);
                };
            }
        });
        Math.random = random;
        // the RegExp constructor without its static last-match properties (RegExp.$1 ...), shared state
        function R(pattern, flags) {
            if (typeof pattern === 'string' && pattern.length > 10000) {
                throw new RangeErr('RegExp: pattern longer than 10000 characters');
            }
            return flags === undefined ? new RealRegExp(pattern) : new RealRegExp(pattern, flags);
        }
        R.prototype = RealRegExp.prototype;
        RealRegExp.prototype.constructor = R;

        // natives that loop over a length or a string in Java, where the guard cannot see them
        function longArray(name, self) {
            var n = self === null || self === undefined ? 0 : self.length >>> 0;
            if (n > L.arrayLength) {
                throw new RangeErr('Array.prototype.' + name + ': length ' + n + ' is over the limit of ' + L.arrayLength);
            }
        }
        ['join', 'toString', 'toLocaleString', 'indexOf', 'lastIndexOf', 'forEach', 'map', 'filter', 'some', 'every',
            'reduce', 'reduceRight', 'sort', 'reverse', 'concat', 'slice', 'splice', 'shift', 'unshift'
        ].forEach(function (name) {
            var native = ARRAY_PROTO[name];
            ARRAY_PROTO[name] = function () {
                longArray(name, this);
                if (name === 'concat') {
                    var total = this.length >>> 0;
                    for (var i = 0; i < arguments.length; i++) {
                        total += isArray(arguments[i]) ? arguments[i].length >>> 0 : 1;
                    }
                    longArray('concat', { length: total });
                }
                return originalApply.call(native, this, arguments);
            };
        });
        function longString(name, self) {
            var n = typeof self === 'string' ? self.length : 0;
            if (n > L.stringLength) {
                throw new RangeErr('String.prototype.' + name + ': a string of ' + n + ' characters is over the limit of '
                    + L.stringLength);
            }
        }
        ownNames(String.prototype).forEach(function (name) {
            var native = String.prototype[name];
            if (typeof native === 'function' && name !== 'constructor' && name !== 'valueOf' && name !== 'toString'
                    && name !== 'charAt' && name !== 'charCodeAt') {
                String.prototype[name] = function () {
                    longString(name, this);
                    return originalApply.call(native, this, arguments);
                };
            }
        });
        FUNCTION_PROTO.apply = function (thisArg, args) {
            if (args !== null && args !== undefined && (args.length >>> 0) > L.applyArgs) {
                throw new RangeErr('Function.prototype.apply: more than ' + L.applyArgs + ' arguments');
            }
            return originalCall.call(originalApply, this, thisArg, args);
        };
        var jsonParse = JSON.parse, jsonStringify = JSON.stringify;
        JSON.parse = function (text, reviver) {
            longString('JSON.parse', StringOf(text));
            return reviver === undefined ? jsonParse(text) : jsonParse(text, reviver);
        };
        JSON.stringify = function (value, replacer, space) {
            // a guard per value: a huge (or sparse) array cannot keep the native serializer busy for ever
            var user = typeof replacer === 'function' ? replacer : null;
            var only = null;
            if (isArray(replacer)) {
                only = create(null);
                for (var i = 0; i < replacer.length && i < L.arrayLength; i++) {
                    only[StringOf(replacer[i])] = true;
                }
            }
            var out = jsonStringify(value, function (k, v) {
                if (armed) {
                    guard();
                }
                if (only !== null && k !== '' && !isArray(this) && only[k] !== true) {
                    return undefined;
                }
                if (typeof v === 'string') {
                    longString('JSON.stringify', v);
                }
                return user === null ? v : originalCall.call(user, this, k, v);
            }, space);
            if (typeof out === 'string') {
                longString('JSON.stringify', out);
            }
            return out;
        };

        // every built-in frozen, every global binding read-only, no new globals
        var builtins = [Object, OBJECT_PROTO, Function, FUNCTION_PROTO, Array, ARRAY_PROTO, String, String.prototype,
            Number, Number.prototype, Boolean, Boolean.prototype, RealDate, RealDate.prototype, D, RealRegExp,
            RealRegExp.prototype, R, ErrorCtor, ErrorCtor.prototype, TypeError, TypeError.prototype, RangeError,
            RangeError.prototype, SyntaxError, SyntaxError.prototype, ReferenceError, ReferenceError.prototype,
            EvalError, EvalError.prototype, URIError, URIError.prototype, JSON, Math];
        var F = Function;
        defineProperty(F.prototype, 'constructor', { value: undefined, writable: false, configurable: false });
        ['eval', 'Function'].forEach(function (name) {
            try {
                delete g[name];
            } catch (e) { /* not deletable */ }
            defineProperty(g, name, { value: undefined, writable: false, configurable: false, enumerable: false });
        });
        defineProperty(g, 'Date', { value: D, writable: false, configurable: false, enumerable: false });
        defineProperty(g, 'RegExp', { value: R, writable: false, configurable: false, enumerable: false });
        for (var i = 0; i < builtins.length; i++) {
            freeze(builtins[i]);
        }
        var names = ownNames(g);
        for (i = 0; i < names.length; i++) {
            var d = descriptor(g, names[i]);
            if (d.configurable || d.writable) {
                try {
                    defineProperty(g, names[i], { writable: false, configurable: false });
                } catch (e) { /* an accessor of the engine's: left as it is */ }
            }
        }
        preventExtensions(g);
    })();

    return freeze({
        configure: configure, load: load, abortLoad: abortLoad, defineShape: defineShape, begin: begin, runUpdate: runUpdate, undoLast: undoLast,
        runCampaign: runCampaign, abort: abort, logsJson: logsJson, finish: finish
    });
})(this)
