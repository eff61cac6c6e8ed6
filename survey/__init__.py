"""Running the survey: the round lifecycle and status, carry-forward, who may do what, and submission."""
