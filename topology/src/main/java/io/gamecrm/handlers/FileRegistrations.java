package io.gamecrm.handlers;

import io.gamecrm.campaign.CampaignCaps;
import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.CampaignMode;
import io.gamecrm.campaign.ConversionRule;
import io.gamecrm.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one file declared while loading, as its script runtime reported it (plain data it copied
 * without running any of the file's code), checked again here: campaign caps, holdouts and
 * conversion rules, and the rule that a live campaign declares both a per-player cap and a budget.
 */
record FileRegistrations(HandlerFile file, List<HandlerDecl> handlers, List<CampaignDef> campaigns,
                         WritePatterns writes) {

    /** A handler as declared: event types, the profile keys it writes (null for campaign handlers). */
    record HandlerDecl(String name, List<String> on, List<String> writes, boolean update, boolean campaign) {
    }

    /** A declaration the runtime refuses, with the kind of problem. */
    static final class Invalid extends Exception {
        final HandlerProblem.Kind kind;

        Invalid(HandlerProblem.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    @SuppressWarnings("unchecked")
    static FileRegistrations parse(String json, HandlerFile file, HandlerLimits limits) throws Invalid {
        Map<String, Object> m;
        try {
            m = Json.readObject(json);
        } catch (IllegalArgumentException e) {
            throw new Invalid(HandlerProblem.Kind.LOAD_ERROR, "its declarations cannot be read: " + e.getMessage());
        }
        List<HandlerDecl> handlers = new ArrayList<>();
        WritePatterns writes = WritePatterns.NONE;
        for (Object o : (List<Object>) m.get("handlers")) {
            Map<String, Object> h = (Map<String, Object>) o;
            List<String> w = (List<String>) h.get("writes");
            HandlerDecl d = new HandlerDecl((String) h.get("name"), List.copyOf((List<String>) h.get("on")),
                    w == null ? null : List.copyOf(w), Boolean.TRUE.equals(h.get("update")),
                    Boolean.TRUE.equals(h.get("campaign")));
            for (HandlerDecl other : handlers) {
                if (other.name().equals(d.name())) {
                    throw new Invalid(HandlerProblem.Kind.INVALID_DECLARATION, "declares handler '" + d.name() + "' twice");
                }
            }
            handlers.add(d);
            if (w != null) {
                writes = writes.plus(WritePatterns.of(w));
            }
        }
        List<CampaignDef> campaigns = new ArrayList<>();
        for (Object o : (List<Object>) m.get("campaigns")) {
            Map<String, Object> c = (Map<String, Object>) o;
            String id = (String) c.get("id");
            CampaignMode mode = CampaignMode.parse((String) c.get("mode"));
            CampaignCaps caps;
            try {
                caps = CampaignCaps.parse(Json.write(c.get("caps")));
            } catch (IllegalArgumentException e) {
                throw new Invalid(HandlerProblem.Kind.INVALID_DECLARATION, "campaign '" + id + "': " + e.getMessage());
            }
            if (mode == CampaignMode.LIVE && (caps.perPlayerPerDay() == 0 || !caps.hasBudget())) {
                throw new Invalid(HandlerProblem.Kind.INVALID_DECLARATION, "campaign '" + id + "' is live but does not"
                        + " declare " + (caps.perPlayerPerDay() == 0 ? "caps.perPlayerPerDay" : "")
                        + (caps.perPlayerPerDay() == 0 && !caps.hasBudget() ? " and " : "")
                        + (caps.hasBudget() ? "" : "caps.budget") + ": a live campaign needs a per-player cap and a"
                        + " budget (e.g. caps: {perPlayerPerDay: 1, budget: {max: 600, per: '1m'}}), or mode 'shadow'");
            }
            double holdout = c.get("holdout") instanceof Number n ? n.doubleValue() : 0;
            try {
                campaigns.add(new CampaignDef(id, mode, caps, holdout, ConversionRule.parse(c.get("conversion")),
                        file.name(), file.version()));
            } catch (IllegalArgumentException e) {
                throw new Invalid(HandlerProblem.Kind.INVALID_DECLARATION, "campaign '" + id + "': " + e.getMessage());
            }
        }
        if (handlers.isEmpty() && campaigns.isEmpty()) {
            throw new Invalid(HandlerProblem.Kind.NOTHING_REGISTERED,
                    "registers no handler and no campaign (call crm.handler({...}) or crm.campaign({...}))");
        }
        return new FileRegistrations(file, List.copyOf(handlers), List.copyOf(campaigns), writes);
    }

    /**
     * What this file declares that one of the files before it already has: a handler name, a
     * campaign id, a profile key it writes; null when nothing.
     */
    static String clash(FileRegistrations regs, List<FileRegistrations> before) {
        for (FileRegistrations other : before) {
            for (HandlerDecl h : regs.handlers()) {
                for (HandlerDecl o : other.handlers()) {
                    if (o.name().equals(h.name())) {
                        return "handler '" + h.name() + "' is already registered by " + other.file().name();
                    }
                }
            }
            for (CampaignDef c : regs.campaigns()) {
                for (CampaignDef o : other.campaigns()) {
                    if (o.id().equals(c.id())) {
                        return "campaign '" + c.id() + "' is already declared by " + other.file().name()
                                + " (a campaign belongs to the file that declared it first)";
                    }
                }
            }
            String key = regs.writes().overlap(other.writes());
            if (key != null) {
                return "writes profile key '" + key + "', which " + other.file().name() + " already writes"
                        + " (a profile key belongs to one file)";
            }
        }
        return null;
    }
}
