package io.gamecrm.analytics.backtest;

import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;

/** One decision of a backtest, as a Spark row (a Java bean: the encoder reads its properties). */
public final class ReplayedDecision implements Serializable {
    private String playerId;
    private Date day;
    private Timestamp eventTime;
    private String campaign;
    private String handler;
    private String handlerVersion;
    private String outcome;
    private String reason;
    private String triggerId;
    private String causeEventId;
    private String causeEventType;
    private String params;

    public ReplayedDecision() {
    }

    static ReplayedDecision of(HandlerRuntime.Step step, HandlerRuntime.Offer o) {
        ReplayedDecision d = new ReplayedDecision();
        d.playerId = step.playerId();
        d.eventTime = Timestamp.from(step.eventTime());
        d.day = Date.valueOf(step.eventTime().atOffset(java.time.ZoneOffset.UTC).toLocalDate());
        d.campaign = o.campaign();
        d.handler = o.handler();
        d.handlerVersion = o.handlerVersion();
        d.outcome = o.outcome();
        d.reason = o.reason();
        d.triggerId = o.triggerId();
        d.causeEventId = step.eventId();
        d.causeEventType = step.eventType();
        d.params = o.params();
        return d;
    }

    public String getPlayerId() {
        return playerId;
    }

    public void setPlayerId(String playerId) {
        this.playerId = playerId;
    }

    public Date getDay() {
        return day;
    }

    public void setDay(Date day) {
        this.day = day;
    }

    public Timestamp getEventTime() {
        return eventTime;
    }

    public void setEventTime(Timestamp eventTime) {
        this.eventTime = eventTime;
    }

    public String getCampaign() {
        return campaign;
    }

    public void setCampaign(String campaign) {
        this.campaign = campaign;
    }

    public String getHandler() {
        return handler;
    }

    public void setHandler(String handler) {
        this.handler = handler;
    }

    public String getHandlerVersion() {
        return handlerVersion;
    }

    public void setHandlerVersion(String handlerVersion) {
        this.handlerVersion = handlerVersion;
    }

    public String getOutcome() {
        return outcome;
    }

    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getTriggerId() {
        return triggerId;
    }

    public void setTriggerId(String triggerId) {
        this.triggerId = triggerId;
    }

    public String getCauseEventId() {
        return causeEventId;
    }

    public void setCauseEventId(String causeEventId) {
        this.causeEventId = causeEventId;
    }

    public String getCauseEventType() {
        return causeEventType;
    }

    public void setCauseEventType(String causeEventType) {
        this.causeEventType = causeEventType;
    }

    public String getParams() {
        return params;
    }

    public void setParams(String params) {
        this.params = params;
    }
}
