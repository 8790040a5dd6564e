"""The staff console: a web process of its own (Flask) where the international offices keep the assistant current."""
