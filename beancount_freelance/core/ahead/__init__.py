"""What lies ahead: risk, survival, forecast, pipeline, targets, ceilings, plan."""
