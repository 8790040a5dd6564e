"""Answers built from the query layer: which wording entry to send, with which values, in which language."""
