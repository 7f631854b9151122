"""Double collection: templates, comparison, agreement statistics, reconciliation."""
