"""Official data about every English authority: the register, groups, context, inspections and plausibility flags."""
