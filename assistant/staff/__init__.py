"""Staff tools: review of missed questions, usage, purge, NLU checks, evaluation."""
