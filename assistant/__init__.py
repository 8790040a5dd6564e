"""Study-abroad assistant for the medical schools of Université Paris Cité and Lille."""
