"""Answers built from the query layer: which response to send, with which values, in which language."""
