"""The fault suite (`make faults`; its short form is tests/test_faults.py): the topology under load, each fault
injected and repaired, every message checked against the conversation store."""
