"""Rasa's dialogue policies, with the same predictions at a lower cost per message."""
