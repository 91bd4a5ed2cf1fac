"""Time: hours worked, billed and unbilled, and rates of pay."""
