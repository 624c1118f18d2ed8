"""SLA reports for managers: were the helpdesk's promises kept, and where not."""
