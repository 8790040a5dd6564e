"""The website chat: the embeddable widget (static/) and the schools' demonstration pages (pages/)."""
