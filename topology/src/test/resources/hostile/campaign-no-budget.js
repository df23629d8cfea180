// hostile: campaign - a live campaign with a per-player cap but no budget
// expect: rejected INVALID_DECLARATION caps.budget
crm.campaign({ id: 'no-budget', caps: { perPlayerPerDay: 1 } });
