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
        // the common case, a primitive: what a JSON round trip would give, without one
        var t = typeof value;
        if (value === null || t === 'string' || t === 'boolean') {
            return value;
        }
        if (t === 'number') {
            return value - value === 0 ? value : null;  // NaN and the infinities become null in JSON
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

    /*
     * An engine processes one event at a time (one engine per executor thread), so the current
     * event's state lives in these variables, and the objects handed to handlers (the profile
     * views and ctx) are made once per engine instead of once per event. The runtime calls
     * startEvent, then runUpdate / runCampaign per handler (abort after one that threw), then
     * finish: a few calls from Java per event instead of one per step.
     */
    var ev = null;                          // the current event, deep-frozen
    var data = {}, changes = {};            // changes: key -> new value (null: removed)
    var pending = null;                     // the undo log while an update handler runs, else null
    var requests = [], declared = {}, eventTime = 0, inCampaign = false;

    function startEvent(eventJson, profileJson) {
        ev = deepFreeze(parse(eventJson));
        data = profileJson ? parse(profileJson) : {};
        changes = {};
        pending = null;
        requests = [];
        inCampaign = false;
    }

    /*
     * The profile a handler sees. Reads: get(key, fallback), has(key), keys(). Writes (update
     * handlers only): set(key, value), incr(key, by), remove(key). Values are JSON: numbers,
     * strings, booleans, arrays, objects; get() returns a copy, so a change only counts through
     * set(). Each handler's writes are a unit: if the handler throws, they are undone.
     */
    // the undo log of the running update handler: key, had, value, hadChange, change per write,
    // appended without lookups (a handler writes few keys); rollback replays it backwards
    function remember(key) {
        pending.push(key, hasOwn.call(data, key), data[key], hasOwn.call(changes, key), changes[key]);
    }
    function writing(where, key) {
        if (pending === null) {
            // a profile kept from an earlier call: writes count only while an update handler runs
            fail(where, 'the profile can only be changed while an update handler runs');
        }
        if (typeof key !== 'string' || key.length === 0 || key.length > 64) {
            fail(where, 'key must be a non-empty string of at most 64 characters');
        }
    }
    function readOnly(where) {
        return function () {
            fail('profile.' + where, 'the profile is read-only in a campaign handler; change it in an update handler');
        };
    }
    function get(key, fallback) {
        if (!hasOwn.call(data, key)) {
            return fallback;
        }
        var v = data[key];
        return (v !== null && typeof v === 'object') ? parse(stringify(v)) : v;
    }
    function has(key) {
        return hasOwn.call(data, key);
    }
    function profileKeys() {
        return keys(data);
    }
    var writable = freeze({
        get: get, has: has, keys: profileKeys,
        set: function (key, value) {
            writing('profile.set', key);
            if (value === undefined) {
                fail('profile.set', "value for '" + key + "' is undefined; use profile.remove(key)");
            }
            var copy = copyJson(value, 'profile.set');
            remember(key);
            data[key] = copy;
            changes[key] = copy;
            return value;
        },
        incr: function (key, by) {
            writing('profile.incr', key);
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
            return data[key];
        },
        remove: function (key) {
            writing('profile.remove', key);
            if (hasOwn.call(data, key)) {
                remember(key);
                delete data[key];
                changes[key] = null;
                }
        }
    });
    var readonly = freeze({
        get: get, has: has, keys: profileKeys,
        set: readOnly('set'), incr: readOnly('incr'), remove: readOnly('remove')
    });
    function rollback() {
        if (pending !== null) {
            for (var i = pending.length - 5; i >= 0; i -= 5) {
                var k = pending[i];
                if (pending[i + 1]) { data[k] = pending[i + 2]; } else { delete data[k]; }
                if (pending[i + 3]) { changes[k] = pending[i + 4]; } else { delete changes[k]; }
            }
        }
        pending = null;
    }

    /*
     * The third argument of campaign(event, profile, ctx). ctx.trigger(campaignId, params) asks for
     * an offer; whether it fires is decided afterwards by the runtime (caps, budget, mode).
     */
    var ctx = freeze({
        get eventTime() {
            return eventTime;
        },
        trigger: function (campaignId, params) {
            if (!inCampaign) {
                fail('ctx.trigger', 'can only be called while a campaign handler runs');
            }
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

    /*
     * Runs an update handler within the budget; true when the guard stopped it (its writes are then
     * undone). When it throws, the exception reaches the runtime, which calls abort().
     */
    function runUpdate(fn, ms) {
        pending = [];
        arm(ms);
        fn(ev, writable);
        var tripped = disarm();
        if (tripped) {
            rollback();
        }
        pending = null;
        return tripped;
    }

    /* Runs a campaign handler within the budget: the number of offers it asked for, -1 when stopped. */
    function runCampaign(fn, ms, declaredIds, timeMs) {
        requests = [];
        declared = declaredIds;
        eventTime = timeMs;
        inCampaign = true;
        arm(ms);
        fn(ev, readonly, ctx);
        inCampaign = false;
        return disarm() ? -1 : requests.length;
    }

    /* After a handler threw: whether the guard had stopped it; its writes and requests are dropped. */
    function abort() {
        var tripped = disarm();
        rollback();
        inCampaign = false;
        requests = [];
        return tripped;
    }

    function requestCampaign(i) { return requests[i].campaign; }
    function requestParams(i) { return requests[i].params; }

    /* The whole profile as JSON when the event changed it, else null. */
    function finish() {
        return keys(changes).length > 0 ? stringify(data) : null;
    }
    function changesJson() {
        return stringify(changes);
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
        apiFor: apiFor, startEvent: startEvent, runUpdate: runUpdate, runCampaign: runCampaign, abort: abort,
        requestCampaign: requestCampaign, requestParams: requestParams, finish: finish, changesJson: changesJson,
        declaredSet: declaredSet, len: len, at: at, onOf: onOf, guard: guard, arm: arm, disarm: disarm,
        setCpuClock: setCpuClock
    });
})()
