/*
 * Runtime side of the handler API, evaluated once in every handler engine before any handler
 * file. It returns one object with the functions the Java runtime calls; designers never see it.
 * Handler files get only what apiFor() builds: plain JS objects and functions, never Java objects.
 * References to built-ins are captured here, so a handler that overwrites JSON.parse or
 * Object.freeze in the shared global cannot change how the runtime reads events and profiles.
 */
(function () {
    'use strict';
    var parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze, keys = Object.keys;
    var isArray = Array.isArray, hasOwn = Object.prototype.hasOwnProperty;
    var NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
    var CAMPAIGN_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
    var EVENT_TYPE = /^([a-z][a-z0-9_]{0,31}|\*)$/;
    var MODES = { live: true, shadow: true, paused: true };
    var now = Date.now;

    /*
     * The time budget. Every loop body and function body of a handler file starts with a call to
     * guard() (the runtime instruments the source). Once the budget is spent, guard() throws, and
     * keeps throwing until the runtime disarms it: catching the error does not help a runaway
     * handler, because its next loop iteration or call throws again.
     *
     * The budget is CPU time of the executor thread, not wall time: a garbage-collection pause or
     * a busy machine must not stop a correct handler. The wall clock is the cheap first check; only
     * when it says the budget may be spent is the thread's CPU time read (cpuNow, set by the runtime).
     */
    var deadline = Infinity, tripped = false, budgetMs = 0, cpuStart = 0, cpuNow = null;
    // thrown as is, never created anew: unwinding a deep runaway recursion stays cheap
    var OVER_BUDGET = freeze(new RangeError('time budget exceeded'));
    function guard() {
        if (tripped) {
            throw OVER_BUDGET;
        }
        if (now() > deadline) {
            var usedMs = cpuNow === null ? budgetMs : (cpuNow() - cpuStart) / 1e6;
            if (usedMs >= budgetMs) {
                tripped = true;
                throw OVER_BUDGET;
            }
            deadline = now() + (budgetMs - usedMs);
        }
    }
    function arm(ms) {
        tripped = false;
        budgetMs = ms;
        cpuStart = cpuNow === null ? 0 : cpuNow();
        deadline = now() + ms;
    }
    function disarm() {
        var t = tripped;
        tripped = false;
        deadline = Infinity;
        return t;
    }
    function setCpuClock(clock) {
        cpuNow = clock;
    }

    function fail(where, message) {
        throw new TypeError(where + ': ' + message);
    }

    function deepFreeze(value) {
        if (value !== null && typeof value === 'object') {
            var ks = keys(value);
            for (var i = 0; i < ks.length; i++) {
                deepFreeze(value[ks[i]]);
            }
            freeze(value);
        }
        return value;
    }

    function copyJson(value, where) {
        if (value === undefined) {
            return undefined;
        }
        var text;
        try {
            text = stringify(value);
        } catch (e) {
            fail(where, 'value is not JSON-serialisable (' + e.message + ')');
        }
        if (text === undefined) {
            fail(where, 'value is not JSON-serialisable (' + typeof value + ')');
        }
        return parse(text);
    }

    /* ---------- registration: what a handler file may call ---------- */

    function apiFor(fileName) {
        var handlers = [], campaigns = [];
        var api = freeze({
            handler: function (def) {
                var where = fileName + ': crm.handler';
                if (def === null || typeof def !== 'object') {
                    fail(where, 'expects an object {name, on, update?, campaign?}');
                }
                if (typeof def.name !== 'string' || !NAME.test(def.name)) {
                    fail(where, "'name' must be a string of letters, digits, '_', '.', '-' (got " + stringify(def.name) + ')');
                }
                where = fileName + ": handler '" + def.name + "'";
                if (!isArray(def.on) || def.on.length === 0) {
                    fail(where, "'on' must be a non-empty array of event types, e.g. on: ['fight']");
                }
                for (var i = 0; i < def.on.length; i++) {
                    if (typeof def.on[i] !== 'string' || !EVENT_TYPE.test(def.on[i])) {
                        fail(where, "'on' holds an invalid event type: " + stringify(def.on[i]));
                    }
                }
                if (def.update !== undefined && typeof def.update !== 'function') {
                    fail(where, "'update' must be a function(event, profile)");
                }
                if (def.campaign !== undefined && typeof def.campaign !== 'function') {
                    fail(where, "'campaign' must be a function(event, profile, ctx)");
                }
                if (def.update === undefined && def.campaign === undefined) {
                    fail(where, "declares neither 'update' nor 'campaign'");
                }
                for (var k in def) {
                    if (hasOwn.call(def, k) && k !== 'name' && k !== 'on' && k !== 'update' && k !== 'campaign'
                            && k !== 'description') {
                        fail(where, "unknown property '" + k + "' (allowed: name, on, update, campaign, description)");
                    }
                }
                handlers.push({ name: def.name, on: def.on.slice(), update: def.update, campaign: def.campaign });
            },
            campaign: function (def) {
                var where = fileName + ': crm.campaign';
                if (def === null || typeof def !== 'object') {
                    fail(where, 'expects an object {id, mode, caps}');
                }
                if (typeof def.id !== 'string' || !CAMPAIGN_ID.test(def.id)) {
                    fail(where, "'id' must be lower-case letters, digits, '_' or '-' (got " + stringify(def.id) + ')');
                }
                where = fileName + ": campaign '" + def.id + "'";
                var mode = def.mode === undefined ? 'live' : def.mode;
                if (!MODES[mode]) {
                    fail(where, "'mode' must be 'live', 'shadow' or 'paused' (got " + stringify(def.mode) + ')');
                }
                var caps = def.caps === undefined ? {} : def.caps;
                if (caps === null || typeof caps !== 'object' || isArray(caps)) {
                    fail(where, "'caps' must be an object");
                }
                for (var k in def) {
                    if (hasOwn.call(def, k) && k !== 'id' && k !== 'mode' && k !== 'caps' && k !== 'description') {
                        fail(where, "unknown property '" + k + "' (allowed: id, mode, caps, description)");
                    }
                }
                campaigns.push({ id: def.id, mode: mode, caps: stringify(caps) });
            }
        });
        return { api: api, handlers: handlers, campaigns: campaigns };
    }

    /* ---------- per event: the event, the profile, the campaign context ---------- */

    function parseEvent(json) {
        return deepFreeze(parse(json));
    }

    /*
     * The profile a handler sees. Reads: get(key, fallback), has(key), keys(). Writes (update
     * handlers only): set(key, value), incr(key, by), remove(key). Values are JSON: numbers,
     * strings, booleans, arrays, objects; get() returns a copy, so a change only counts through
     * set(). Each handler's writes are a unit: if the handler throws, they are undone.
     */
    function makeProfile(json) {
        var data = json ? parse(json) : {};
        var changes = {}, changed = false;
        var pending = null;  // key -> previous value, while a handler runs

        function remember(key) {
            if (pending !== null && !hasOwn.call(pending, key)) {
                pending[key] = { had: hasOwn.call(data, key), value: data[key],
                                 hadChange: hasOwn.call(changes, key), change: changes[key] };
            }
        }
        function checkKey(key, where) {
            if (typeof key !== 'string' || key.length === 0 || key.length > 64) {
                fail(where, 'key must be a non-empty string of at most 64 characters');
            }
        }
        function readOnly(where) {
            return function () {
                fail('profile.' + where, 'the profile is read-only in a campaign handler; change it in an update handler');
            };
        }
        var reads = {
            get: function (key, fallback) {
                if (!hasOwn.call(data, key)) {
                    return fallback;
                }
                var v = data[key];
                return (v !== null && typeof v === 'object') ? parse(stringify(v)) : v;
            },
            has: function (key) {
                return hasOwn.call(data, key);
            },
            keys: function () {
                return keys(data);
            }
        };
        var writable = freeze({
            get: reads.get, has: reads.has, keys: reads.keys,
            set: function (key, value) {
                checkKey(key, 'profile.set');
                if (value === undefined) {
                    fail('profile.set', "value for '" + key + "' is undefined; use profile.remove(key)");
                }
                var copy = copyJson(value, 'profile.set');
                remember(key);
                data[key] = copy;
                changes[key] = copy;
                changed = true;
                return value;
            },
            incr: function (key, by) {
                checkKey(key, 'profile.incr');
                var step = by === undefined ? 1 : by;
                if (typeof step !== 'number' || step !== step) {
                    fail('profile.incr', "step for '" + key + "' must be a number");
                }
                var current = hasOwn.call(data, key) ? data[key] : 0;
                if (typeof current !== 'number') {
                    fail('profile.incr', "'" + key + "' holds a " + typeof current + ', not a number');
                }
                remember(key);
                data[key] = current + step;
                changes[key] = data[key];
                changed = true;
                return data[key];
            },
            remove: function (key) {
                checkKey(key, 'profile.remove');
                if (hasOwn.call(data, key)) {
                    remember(key);
                    delete data[key];
                    changes[key] = null;
                    changed = true;
                }
            }
        });
        var readonly = freeze({
            get: reads.get, has: reads.has, keys: reads.keys,
            set: readOnly('set'), incr: readOnly('incr'), remove: readOnly('remove')
        });
        return {
            writable: writable,
            readonly: readonly,
            begin: function () {
                pending = {};
            },
            commit: function () {
                pending = null;
            },
            rollback: function () {
                if (pending !== null) {
                    for (var k in pending) {
                        var p = pending[k];
                        if (p.had) { data[k] = p.value; } else { delete data[k]; }
                        if (p.hadChange) { changes[k] = p.change; } else { delete changes[k]; }
                    }
                }
                pending = null;
            },
            changed: function () {
                return changed && keys(changes).length > 0;
            },
            changesJson: function () {
                return stringify(changes);
            },
            dataJson: function () {
                return stringify(data);
            }
        };
    }

    /*
     * The third argument of campaign(event, profile, ctx). ctx.trigger(campaignId, params) asks for
     * an offer; whether it fires is decided afterwards by the runtime (caps, budget, mode).
     */
    function makeContext(declared, eventTimeMs) {
        var requests = [];
        var ctx = freeze({
            eventTime: eventTimeMs,
            trigger: function (campaignId, params) {
                if (typeof campaignId !== 'string' || !hasOwn.call(declared, campaignId)) {
                    fail('ctx.trigger', 'unknown campaign ' + stringify(campaignId)
                        + '; declare it with crm.campaign({id: ...}) (declared: ' + stringify(keys(declared)) + ')');
                }
                var p = params === undefined ? {} : params;
                if (p === null || typeof p !== 'object' || isArray(p)) {
                    fail('ctx.trigger', 'params must be an object, e.g. {units: 4}');
                }
                requests.push({ campaign: campaignId, params: stringify(copyJson(p, 'ctx.trigger')) });
            }
        });
        return {
            ctx: ctx,
            count: function () { return requests.length; },
            campaign: function (i) { return requests[i].campaign; },
            params: function (i) { return requests[i].params; }
        };
    }

    function declaredSet(idsJson) {
        var ids = parse(idsJson), s = {};
        for (var i = 0; i < ids.length; i++) {
            s[ids[i]] = true;
        }
        return freeze(s);
    }

    function len(a) { return a.length; }
    function at(a, i) { return a[i]; }
    function onOf(h) { return h.on.join(','); }

    return freeze({
        apiFor: apiFor, parseEvent: parseEvent, makeProfile: makeProfile, makeContext: makeContext,
        declaredSet: declaredSet, len: len, at: at, onOf: onOf, guard: guard, arm: arm, disarm: disarm,
        setCpuClock: setCpuClock
    });
})()
